// A Flagger event on the release's audit log. Flagger posts one for every Kubernetes event it emits, and
// repeats "waiting" ones on every analysis interval, so a message equal to the release's latest Flagger
// event is not written again. Only Flagger's own fields are kept: the webhook's metadata, merged into the
// payload by Flagger, carries the API token.
import type { TFlaggerPayload, TReleaseState } from '@rampart/contracts';
import { notFound } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { recordEvents } from '../releases/persist-change.js';
import { inTransaction } from '../releases/transaction.js';

/** Longer messages are cut: Flagger's are one line. */
const MAX_MESSAGE = 2000;

export type TFlaggerEventData = {
  source: 'flagger';
  canary: string;
  phase: string | null;
  eventType: string | null;
  message: string;
  checksum: string | null;
};

export function flaggerEventData(payload: TFlaggerPayload): TFlaggerEventData {
  const metadata = payload.metadata ?? {};
  return {
    source: 'flagger',
    canary: `${payload.name}.${payload.namespace}`,
    phase: payload.phase ?? null,
    eventType: metadata['eventType'] ?? null,
    message: (metadata['eventMessage'] ?? '').slice(0, MAX_MESSAGE),
    checksum: payload.checksum ?? null,
  };
}

function sameEvent(previous: unknown, next: TFlaggerEventData): boolean {
  if (typeof previous !== 'object' || previous === null) return false;
  const p = previous as Partial<TFlaggerEventData>;
  return p.source === next.source && p.canary === next.canary && p.phase === next.phase && p.message === next.message;
}

export async function recordFlaggerEvent(
  ctx: TServiceContext,
  releaseId: string,
  payload: TFlaggerPayload,
): Promise<{ recorded: boolean; state: TReleaseState }> {
  const data = flaggerEventData(payload);
  return inTransaction(ctx.db, async (tx) => {
    const release = await tx.release.findUnique({ where: { id: releaseId }, select: { revision: true, state: true } });
    if (!release) throw notFound('Release');
    const latest = await tx.releaseEvent.findFirst({
      where: { releaseId, type: 'integration.event' },
      orderBy: { id: 'desc' },
      select: { data: true },
    });
    if (latest && sameEvent(latest.data, data)) return { recorded: false, state: release.state };
    await recordEvents(
      tx,
      releaseId,
      release.revision,
      ctx.actor,
      [{ type: 'integration.event', reason: data.message || undefined, data }],
      ctx.clock.now(),
    );
    return { recorded: true, state: release.state };
  });
}
