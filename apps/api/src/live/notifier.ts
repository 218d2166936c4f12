// The notices on the channel `rampart_live`: what every API instance hears. A release change is announced
// by the services through db/change-notice.ts, inside the writing transaction; metrics, analyses and
// revocations are announced from here after their commit. The writing instance hears its own notices too,
// so a listener loads only what has committed.
import { z } from 'zod';
import type { Db } from '../db/prisma.js';
import { LIVE_CHANNEL, ZReleaseNotice } from '../db/change-notice.js';

export { LIVE_CHANNEL };
export type { TReleaseNotice } from '../db/change-notice.js';

const ZMetricsNotice = z.object({
  kind: z.literal('metrics'),
  releaseId: z.string(),
  /** Epoch ms, inclusive: the points stored by one batch lie in this range. */
  from: z.number(),
  to: z.number(),
  /** The instance that published it (and pushed it to its own sockets already). */
  origin: z.string(),
});
const ZAnalysisNotice = z.object({ kind: z.literal('analysis'), releaseId: z.string(), origin: z.string() });
/** A credential was revoked: every instance closes the sockets opened with it (see services/auth/revocations). */
const ZRevokeNotice = z.object({
  kind: z.literal('revoke'),
  revocation: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('session'), sessionId: z.string() }),
    z.object({ kind: z.literal('token'), tokenId: z.string() }),
    z.object({ kind: z.literal('user'), userId: z.string(), credentials: z.enum(['all', 'sessions']) }),
  ]),
  origin: z.string(),
});

export const ZLiveNotice = z.discriminatedUnion('kind', [ZReleaseNotice, ZMetricsNotice, ZAnalysisNotice, ZRevokeNotice]);
export type TLiveNotice = z.infer<typeof ZLiveNotice>;
export type TReleaseScopedNotice = Exclude<TLiveNotice, { kind: 'revoke' }>;
export type TRevokeNotice = z.infer<typeof ZRevokeNotice>;

/** Parses a NOTIFY payload; null for anything malformed (another writer on the channel, an old version). */
export function parseNotice(payload: string | undefined): TLiveNotice | null {
  if (!payload) return null;
  try {
    const parsed = ZLiveNotice.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** After a commit (metrics, analysis): tells the other instances. Not transactional by design. */
export async function announce(db: Db, notice: TLiveNotice): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(notice)})`;
}
