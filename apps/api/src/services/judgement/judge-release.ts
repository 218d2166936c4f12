// Judging a release's current stage from its stored points, carrying the sequential gates' state from the
// previous evaluation (kept with the stored analysis) so that only new bins are read and folded: the cost of
// an evaluation does not grow with the release's age.
import type { TAnalysis, TPlaybookSpec } from '@rampart/contracts';
import type { TJudgementCarry, TJudgementInput } from '@rampart/domain';
import { judgeWithCarry } from '@rampart/domain';
import type { Db, Tx } from '../../db/prisma.js';
import { applySourceOutage } from '../../prometheus/source-health.js';
import { parseStoredSource } from '../../prometheus/source-store.js';
import type { TReleaseRecord } from '../releases/release-record.js';
import type { BinCache } from './bin-cache.js';
import type { TJudgementScope } from './load-judgement-input.js';
import { loadJudgementInputs } from './load-judgement-input.js';
import type { TStoredAnalysis } from './stored-analysis.js';
import { currentAnalysis } from './stored-analysis.js';

export interface TReleaseJudgement {
  analysis: TAnalysis;
  carry: TJudgementCarry;
}

/** What judging a release needs of it: a full record, or the autopilot's lighter one. */
export interface TJudgeable {
  id: string;
  startedAt: Date | null;
  currentStageIndex: number;
  stages: readonly { key: string; position: number; trafficPercent: number; enteredAt: Date | null }[];
  metricsSource: unknown;
  spec: TPlaybookSpec;
  /** The stored analysis, if it judged the stage the release is at now (its carry is picked up). */
  current: TStoredAnalysis | null;
}

export function judgeableOf(record: TReleaseRecord): TJudgeable {
  const { row, spec } = record;
  return {
    id: row.id,
    startedAt: row.startedAt,
    currentStageIndex: row.currentStageIndex,
    stages: row.stages,
    metricsSource: row.metricsSource,
    spec,
    current: currentAnalysis(record),
  };
}

/** What the release's current stage reads now; null before the release has started. */
export function judgementScope(release: TJudgeable, now: Date): TJudgementScope | null {
  const stage = release.stages[release.currentStageIndex];
  if (!release.startedAt || !stage?.enteredAt) return null;
  return {
    releaseId: release.id,
    startedAt: release.startedAt,
    stage: {
      key: stage.key,
      enteredAt: stage.enteredAt,
      trafficPercent: stage.trafficPercent,
      initialDelaySeconds: release.spec.stages[stage.position]?.initialDelaySeconds,
    },
    gates: release.spec.gates,
    now,
    carry: release.current?.carry ?? null,
  };
}

/** The engine's verdict on an input already read, with the gates a failing Prometheus source feeds made inconclusive. */
export function judgeInput(release: TJudgeable, input: TJudgementInput): TReleaseJudgement {
  const judged = judgeWithCarry(input, release.current?.carry ?? null);
  return { analysis: applySourceOutage(judged.analysis, parseStoredSource(release.metricsSource)), carry: judged.carry };
}

/** Many releases judged at one `now`, their points read together; null for a release not started. */
export async function judgeReleases(
  db: Db | Tx,
  releases: readonly TJudgeable[],
  now: Date,
  cache?: BinCache,
): Promise<(TReleaseJudgement | null)[]> {
  const scopes = releases.map((release) => judgementScope(release, now));
  const inputs = await loadJudgementInputs(
    db,
    scopes.filter((s) => s !== null),
    cache,
  );
  let next = 0;
  return releases.map((release, i) => (scopes[i] ? judgeInput(release, inputs[next++]!) : null));
}

/** Null before the release has started. */
export async function judgeRelease(db: Db | Tx, record: TReleaseRecord, now: Date): Promise<TReleaseJudgement | null> {
  const [judged] = await judgeReleases(db, [judgeableOf(record)], now);
  return judged ?? null;
}
