// Reads what the judgement engine needs straight from PostgreSQL, already binned (date_bin, with the
// release's start as the bins' origin): one row per metric, cohort and 10-second bin, however many points
// arrived. Only the bins the gates can look at are read: the trailing windows of the current stage, and the
// bins a sequential gate has not folded yet (none older, when the previous evaluation's carry is given).
import type { TGateSpec } from '@rampart/contracts';
import type { TBin, TCohortSeries, THistogramBin, TJudgementCarry, TJudgementInput } from '@rampart/domain';
import { MAX_WINDOW_SECONDS } from '@rampart/domain';
import type { Db, Tx } from '../../db/prisma.js';
import { readReportedIncidents } from '../incidents/reported-incidents.js';
import type { BinCache } from './bin-cache.js';
import type { TBinRead, THistogramBinRow, TReleaseBins } from './read-bins.js';
import { BIN_SECONDS, emptyBins, readBins } from './read-bins.js';

export { BIN_SECONDS };

export interface TJudgementScope {
  releaseId: string;
  startedAt: Date;
  stage: { key: string; enteredAt: Date; trafficPercent: number; initialDelaySeconds?: number };
  gates: TGateSpec[];
  now: Date;
  carry?: TJudgementCarry | null;
}

const HEALTH_LOOKBACK_SECONDS = 300;
/** Slack beyond a gate's own span: the longest trailing window, a five-minute gap, a bin still filling. */
const LOOKBACK_SLACK_SECONDS = MAX_WINDOW_SECONDS + 300 + BIN_SECONDS;

/** The earliest time any gate of this stage can read now. */
export function readFrom(scope: TJudgementScope): number {
  const stageStart = scope.stage.enteredAt.getTime();
  const now = scope.now.getTime();
  let from = now;
  for (const gate of scope.gates) {
    if (gate.kind === 'sequential') {
      // Without a carry for this stage the gate folds the stage from its start, once.
      const carried = scope.carry?.sequential[gate.key];
      from = Math.min(from, carried && carried.stage === scope.stage.key ? carried.nextBin : stageStart);
      continue;
    }
    // A run of failed health checks is read back at most this far (or its failingFor span).
    const span = gate.kind === 'consecutive_failures' ? Math.max(gate.failingForSeconds ?? 0, HEALTH_LOOKBACK_SECONDS) : (gate.sustainSeconds ?? 0);
    from = Math.min(from, now - (span + LOOKBACK_SLACK_SECONDS) * 1000);
  }
  const origin = scope.startedAt.getTime();
  const earliest = Math.max(stageStart, origin, Math.min(from, now - LOOKBACK_SLACK_SECONDS * 1000));
  // From the start of the bin holding it, so that no bin is read in part.
  const binMs = BIN_SECONDS * 1000;
  return origin + Math.floor((earliest - origin) / binMs) * binMs;
}

/** The engine's input for one release from its bins (all read from readFrom(scope) on). */
export function judgementInputOf(scope: TJudgementScope, bins: TReleaseBins): TJudgementInput {
  const scalars: Record<string, TCohortSeries<TBin>> = {};
  for (const [metric, series] of bins.scalars) scalars[metric] = series;
  const histograms: TJudgementInput['histograms'] = {};
  for (const [metric, series] of bins.histograms) {
    // A histogram's bounds are taken from its latest window read; pipelines keep them fixed.
    let latest: THistogramBinRow | null = null;
    for (const row of [...series.canary, ...series.baseline]) if (!latest || row.latest > latest.latest) latest = row;
    if (!latest) continue;
    const bounds = latest.bounds;
    const keep = (rows: THistogramBinRow[]): THistogramBin[] => rows.filter((r) => r.counts.length === bounds.length).map((r) => ({ t: r.t, counts: r.counts }));
    histograms[metric] = { bounds, series: { canary: keep(series.canary), baseline: keep(series.baseline) } };
  }
  return inputForScope(scope, { scalars, histograms });
}

/** The engine's input for a release's scope, given the bins read for it. */
export function inputForScope(scope: TJudgementScope, bins: Pick<TJudgementInput, 'scalars' | 'histograms'>): TJudgementInput {
  return {
    now: scope.now.getTime(),
    binSeconds: BIN_SECONDS,
    stage: {
      key: scope.stage.key,
      enteredAt: scope.stage.enteredAt.getTime(),
      trafficPercent: scope.stage.trafficPercent,
      initialDelaySeconds: scope.stage.initialDelaySeconds,
    },
    releaseStartedAt: scope.startedAt.getTime(),
    gates: scope.gates,
    scalars: bins.scalars,
    histograms: bins.histograms,
  };
}

/**
 * The inputs of many releases judged at the same `now`, in three statements (four when one has an incidents
 * gate). With a cache (the autopilot's), only the bins it does not hold settled are read.
 */
export async function loadJudgementInputs(db: Db | Tx, scopes: readonly TJudgementScope[], cache?: BinCache): Promise<TJudgementInput[]> {
  if (scopes.length === 0) return [];
  const now = scopes[0]!.now.getTime();
  if (scopes.some((s) => s.now.getTime() !== now)) throw new Error('loadJudgementInputs: every scope must be judged at the same time');
  const reads: TBinRead[] = scopes.map((scope) => ({ releaseId: scope.releaseId, origin: scope.startedAt.getTime(), from: readFrom(scope) }));
  const planned = reads.map((read) => cache?.plan(read, now) ?? read);
  const fresh = await readBins(db, planned, now);
  const incidents = await readReportedIncidents(db, scopes);
  return scopes.map((scope, i) => {
    const bins = fresh.get(scope.releaseId) ?? emptyBins();
    const input = judgementInputOf(scope, cache ? cache.merge(reads[i]!, planned[i]!, bins, now) : bins);
    const reported = incidents.get(scope.releaseId);
    return reported ? { ...input, incidents: reported } : input;
  });
}

export async function loadJudgementInput(db: Db | Tx, scope: TJudgementScope): Promise<TJudgementInput> {
  const [input] = await loadJudgementInputs(db, [scope]);
  return input!;
}
