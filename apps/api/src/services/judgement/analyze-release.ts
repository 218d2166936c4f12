import type { TAnalysis } from '@rampart/contracts';
import { judge } from '@rampart/domain';
import type { TServiceContext } from '../context.js';
import { loadRelease } from '../releases/release-record.js';
import { loadJudgementInput } from './load-judgement-input.js';
import { applySourceOutage } from '../../prometheus/source-health.js';
import { parseStoredSource } from '../../prometheus/source-store.js';

/** The current stage judged now, from the stored points; null before the release has started. */
export async function analyzeRelease(ctx: Pick<TServiceContext, 'db' | 'clock'>, releaseId: string): Promise<TAnalysis | null> {
  const { row, spec } = await loadRelease(ctx.db, releaseId);
  const stage = row.stages[row.currentStageIndex];
  if (!row.startedAt || !stage?.enteredAt) return null;
  const input = await loadJudgementInput(ctx.db, {
    releaseId,
    startedAt: row.startedAt,
    stage: { key: stage.key, enteredAt: stage.enteredAt, trafficPercent: stage.trafficPercent },
    gates: spec.gates,
    now: row.finishedAt ?? ctx.clock.now(),
  });
  return applySourceOutage(judge(input), parseStoredSource(row.metricsSource));
}
