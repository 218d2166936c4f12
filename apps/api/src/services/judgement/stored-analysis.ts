// The latest analysis of a release lives on its row, so pages, lists and human actions see the same
// verdicts the autopilot acted on without judging again.
import type { TAnalysis, TGateVerdict } from '@rampart/contracts';
import type { TGateStatus, TJudgementCarry } from '@rampart/domain';
import { gateStatusesForStage } from '@rampart/domain';
import type { TReleaseRecord } from '../releases/release-record.js';

export interface TStoredAnalysis extends TAnalysis {
  /** Gates that failed or warned at any evaluation since the stage was entered; cleared on a stage change. */
  breachedThisStage: string[];
  /** The engine's state for the next evaluation (never sent to clients: response schemas drop it). */
  carry?: TJudgementCarry;
  /**
   * A digest of everything above but the evaluation time: when a new evaluation has the same, the autopilot
   * leaves the stored one as it is (no write), since nothing a reader or the next evaluation uses changed.
   */
  fingerprint?: string;
}

export function storedAnalysisOf(record: Pick<TReleaseRecord, 'row'>): TStoredAnalysis | null {
  return (record.row.analysis as TStoredAnalysis | null) ?? null;
}

/** The analysis, if it judged the stage the release is at now. */
export function currentAnalysis(record: TReleaseRecord): TStoredAnalysis | null {
  const stored = storedAnalysisOf(record);
  const stage = record.row.stages[record.row.currentStageIndex];
  return stored && stage && stored.stage === stage.key ? stored : null;
}

export function gateStatusesOf(record: TReleaseRecord): TGateStatus[] {
  const stage = record.row.stages[record.row.currentStageIndex];
  const analysis = currentAnalysis(record);
  const verdicts = new Map<string, TGateVerdict>(analysis?.gates.map((g) => [g.key, g.verdict]) ?? []);
  return gateStatusesForStage(record.spec.gates, stage ? { key: stage.key, trafficPercent: stage.trafficPercent } : null, verdicts);
}
