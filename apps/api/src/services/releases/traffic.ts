import type { TTraffic } from '@rampart/contracts';
import { acknowledgeTraffic } from '@rampart/domain';
import { notFound } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { persistChange } from './persist-change.js';
import { loadRelease } from './release-record.js';
import { refusalError } from './refusals.js';
import { inTransaction } from './transaction.js';

/** What a deploy agent polls: the columns it needs and the current stage's key, never the whole release. */
export async function getTraffic(ctx: Pick<TServiceContext, 'db'>, releaseId: string): Promise<TTraffic> {
  const rows = await ctx.db.$queryRaw<(Omit<TTraffic, 'acknowledgedAt'> & { acknowledgedAt: Date | null })[]>`
    SELECT r.id AS "releaseId", r.state::text AS state, s.key AS stage, r."desiredPercent", r."acknowledgedPercent",
      r."acknowledgedAt", r.revision
    FROM "Release" r
    LEFT JOIN "ReleaseStage" s ON s."releaseId" = r.id AND s.position = r."currentStageIndex"
    WHERE r.id = ${releaseId}::uuid`;
  const row = rows[0];
  if (!row) throw notFound('Release');
  return { ...row, acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null };
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
