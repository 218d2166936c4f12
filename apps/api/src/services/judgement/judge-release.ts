// Judging a release's current stage from its stored points, carrying the sequential gates' state from the
// previous evaluation (kept with the stored analysis) so that only new bins are read and folded: the cost of
// an evaluation does not grow with the release's age.
import type { TAnalysis } from '@rampart/contracts';
import type { TJudgementCarry } from '@rampart/domain';
import { judgeWithCarry } from '@rampart/domain';
import type { Db, Tx } from '../../db/prisma.js';
import { applySourceOutage } from '../../prometheus/source-health.js';
import { parseStoredSource } from '../../prometheus/source-store.js';
import type { TReleaseRecord } from '../releases/release-record.js';
import { loadJudgementInput } from './load-judgement-input.js';
import { currentAnalysis } from './stored-analysis.js';

export interface TReleaseJudgement {
  analysis: TAnalysis;
  carry: TJudgementCarry;
}

/** Null before the release has started. */
export async function judgeRelease(db: Db | Tx, record: TReleaseRecord, now: Date): Promise<TReleaseJudgement | null> {
  const { row, spec } = record;
  const stage = row.stages[row.currentStageIndex];
  if (!row.startedAt || !stage?.enteredAt) return null;
  const carry = currentAnalysis(record)?.carry ?? null;
  const input = await loadJudgementInput(db, {
    releaseId: row.id,
    startedAt: row.startedAt,
    stage: {
      key: stage.key,
      enteredAt: stage.enteredAt,
      trafficPercent: stage.trafficPercent,
      initialDelaySeconds: spec.stages[stage.position]?.initialDelaySeconds,
    },
    gates: spec.gates,
    now,
    carry,
  });
  const judged = judgeWithCarry(input, carry);
  return { analysis: applySourceOutage(judged.analysis, parseStoredSource(row.metricsSource)), carry: judged.carry };
}
