// The change notice, as the services write it: pg_notify on `rampart_live` inside the writing transaction,
// so PostgreSQL delivers it only if the change commits. It sits below the services that write it; live/
// (above them) listens, parses and pushes. The payload stays tiny (well under NOTIFY's 8000-byte limit):
// what changed, never the data; listeners load that.
import { z } from 'zod';
import type { Tx } from './prisma.js';

export const LIVE_CHANNEL = 'rampart_live';

export const ZReleaseNotice = z.object({
  kind: z.literal('release'),
  releaseId: z.string(),
  revision: z.number().int(),
  /** The first and last ids of the events this change appended (null: none). */
  firstEventId: z.string().nullable(),
  lastEventId: z.string().nullable(),
});
export type TReleaseNotice = z.infer<typeof ZReleaseNotice>;

/** Inside the writing transaction: this release changed (revision, appended events). */
export async function announceReleaseChange(tx: Tx, notice: Omit<TReleaseNotice, 'kind'>): Promise<void> {
  const full: TReleaseNotice = { kind: 'release', ...notice };
  await tx.$executeRaw`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(full)})`;
}
