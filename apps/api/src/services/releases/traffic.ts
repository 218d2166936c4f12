import type { TTraffic } from '@rampart/contracts';
import { acknowledgeTraffic } from '@rampart/domain';
import type { TServiceContext } from '../context.js';
import { persistChange } from './persist-change.js';
import type { TReleaseRecord } from './release-record.js';
import { loadRelease } from './release-record.js';
import { refusalError } from './refusals.js';
import { inTransaction } from './transaction.js';

function toTraffic({ row }: TReleaseRecord): TTraffic {
  return {
    releaseId: row.id,
    state: row.state,
    stage: row.stages[row.currentStageIndex]?.key ?? null,
    desiredPercent: row.desiredPercent,
    acknowledgedPercent: row.acknowledgedPercent,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    revision: row.revision,
  };
}

export async function getTraffic(ctx: Pick<TServiceContext, 'db'>, releaseId: string) {
  return toTraffic(await loadRelease(ctx.db, releaseId));
}

/** Records the percent the deploy tooling applied. Repeating the same percent changes nothing. */
export async function recordTrafficAck(ctx: TServiceContext, releaseId: string, percent: number) {
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async (tx) => {
    const record = await loadRelease(tx, releaseId);
    const decision = acknowledgeTraffic(record.snapshot, percent, now);
    if (!decision.ok) throw refusalError(decision.refusal, releaseId);
    if (decision.events.length === 0) return;
    await persistChange(tx, record, decision.release, { actor: ctx.actor, events: decision.events, at: now });
  });
  return getTraffic(ctx, releaseId);
}
