// The sequential canary-vs-baseline gate: the change detector of detector.ts fed with the stage's complete
// bins, as error counts or as counts of requests slower than a latency bound.
//
// Per stage. Evidence starts when the stage's judgement starts (after its initial delay, so a warm-up is not
// held against the canary) and restarts at every stage: an old failure, or an old warm-up, does not follow
// the canary into the next stage.
//
// Latency. The same test on the count of requests above a histogram bound near the baseline's P95, each
// cohort's requests being its histogram's +Inf count. The bound is fixed from the baseline's buckets at the
// start of the stage's evidence (calibration: the first complete bins until the baseline has 1,000
// requests), choosing the finite bound whose baseline share of slower requests is closest to 5% on a log
// scale; only later bins are scored. The bound depends on the baseline alone and on data the test never
// scores, so validity is untouched.
//
// α per gate: the gate's alpha, capped at familyAlpha / (number of sequential gates), so by the union bound
// the release's sequential gates together wrongly fail at most familyAlpha over the detector's horizon.
//
// A verdict needs evidence: the gate passes only with at least minRequests canary requests (default 100),
// 20 baseline events and 5 canary events expected under the null; with fewer it is inconclusive.
//
// Incremental. The detector's state is carried from one evaluation to the next (`TSequentialCarry`), so an
// evaluation folds only the bins that completed since: its cost does not grow with the stage's age. A bin is
// final once it ended SETTLE_MS (2 minutes) ago; younger bins are folded afresh at every evaluation, so a
// point that arrives up to 2 minutes late counts, and one later than that is not added.
import type { TGateEvaluation, TGateSpec, TGateVerdict } from '@rampart/contracts';
import { formatCount, formatSeconds, formatValue } from './format.js';
import type { TBin, THistogramBin, TJudgementInput } from './input.js';
import { firstAtOrAfter, latencyHistogram } from './series.js';
import { gateEvaluation } from './evaluation.js';
import type { TDetectorState } from './detector.js';
import { DEFAULT_TOLERANCE, logAlarmLevel, logStatistic, newDetector, observe } from './detector.js';
import { judgedFrom } from './timing.js';

export type TSequentialGate = Extract<TGateSpec, { kind: 'sequential' }>;

export const DEFAULT_FAMILY_ALPHA = 0.05;
export const SEQUENTIAL_DEFAULT_MIN_REQUESTS = 100;
export const SEQUENTIAL_MIN_BASELINE_EVENTS = 20;
export const SEQUENTIAL_MIN_EXPECTED_CANARY_EVENTS = 5;
export const LATENCY_CALIBRATION_REQUESTS = 1000;
export const LATENCY_TARGET_SHARE = 0.05;
/** Bins younger than this are re-folded at every evaluation, so late points still count; older ones are final. */
export const SETTLE_MS = 120_000;
/** After the statistic falls back under the alarm level, the gate stays failed this long (no flapping). */
export const ALARM_HOLD_MS = 60_000;

/** One sequential gate's state between evaluations. Plain JSON. */
export interface TSequentialCarry {
  stage: string;
  judgedFrom: number;
  tolerance: number;
  /** Start of the next bin to fold. */
  nextBin: number;
  detector: TDetectorState;
  /** End of the latest bin at which the statistic was at or above the alarm level. */
  lastAlarmAt: number | null;
  /** End of the bin at which the current (or latest) alarm began. */
  alarmSince: number | null;
  /** Latency only: the baseline's merged calibration counts, then the chosen bound's index. */
  calibration: number[] | null;
  boundIndex: number | null;
}

/** The gate's share of the family-wise level. */
export function gateAlpha(gate: TSequentialGate, input: Pick<TJudgementInput, 'gates' | 'familyAlpha'>): number {
  const sequentialGates = Math.max(1, input.gates.filter((g) => g.kind === 'sequential').length);
  const family = input.familyAlpha ?? DEFAULT_FAMILY_ALPHA;
  return Math.min(gate.alpha ?? 0.01, family / sequentialGates);
}

function freshCarry(stage: string, from: number, tolerance: number, previous: TSequentialCarry | null): TSequentialCarry {
  return {
    stage,
    judgedFrom: from,
    tolerance,
    nextBin: from,
    detector: newDetector(from, previous && previous.tolerance === tolerance ? previous.detector : null),
    lastAlarmAt: null,
    alarmSince: null,
    calibration: null,
    boundIndex: null,
  };
}

function cloneCarry(c: TSequentialCarry): TSequentialCarry {
  return {
    ...c,
    detector: { ...c.detector, logC: [...c.detector.logC] },
    calibration: c.calibration ? [...c.calibration] : null,
  };
}

function record(carry: TSequentialCarry, logLevel: number, binEnd: number): void {
  if (logStatistic(carry.detector) >= logLevel) {
    if (carry.lastAlarmAt === null || binEnd - carry.lastAlarmAt > ALARM_HOLD_MS) carry.alarmSince = binEnd;
    carry.lastAlarmAt = binEnd;
  }
}

function foldErrors(input: TJudgementInput, carry: TSequentialCarry, logLevel: number, lastStart: number): void {
  const binMs = input.binSeconds * 1000;
  const from = carry.nextBin;
  const canaryRequests: readonly TBin[] = input.scalars['requests']?.canary ?? [];
  const baselineRequests: readonly TBin[] = input.scalars['requests']?.baseline ?? [];
  const canaryErrors: readonly TBin[] = input.scalars['errors']?.canary ?? [];
  const baselineErrors: readonly TBin[] = input.scalars['errors']?.baseline ?? [];
  // Four ascending series walked together by bin start (cursors, not maps).
  let b = firstAtOrAfter(baselineRequests, from);
  let ce = firstAtOrAfter(canaryErrors, from);
  let be = firstAtOrAfter(baselineErrors, from);
  for (let i = firstAtOrAfter(canaryRequests, from); i < canaryRequests.length; i++) {
    const c = canaryRequests[i]!;
    const t = c.t;
    if (t > lastStart) break;
    while (b < baselineRequests.length && baselineRequests[b]!.t < t) b++;
    if (b >= baselineRequests.length || baselineRequests[b]!.t !== t) continue;
    while (ce < canaryErrors.length && canaryErrors[ce]!.t < t) ce++;
    while (be < baselineErrors.length && baselineErrors[be]!.t < t) be++;
    const x = ce < canaryErrors.length && canaryErrors[ce]!.t === t ? canaryErrors[ce]!.sum : 0;
    const y = be < baselineErrors.length && baselineErrors[be]!.t === t ? baselineErrors[be]!.sum : 0;
    observe(carry.detector, carry.tolerance, t + binMs, x, c.sum, y, baselineRequests[b]!.sum);
    record(carry, logLevel, t + binMs);
  }
  carry.nextBin = Math.max(carry.nextBin, lastStart + binMs);
}

function chooseBound(bounds: readonly number[], merged: readonly number[]): number | null {
  const inf = bounds.length - 1;
  const total = merged[inf] ?? 0;
  let best: number | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let k = 0; k < inf; k++) {
    const share = (total - merged[k]!) / total;
    if (share <= 0) continue;
    const distance = Math.abs(Math.log(share / LATENCY_TARGET_SHARE));
    if (distance <= bestDistance) {
      best = k;
      bestDistance = distance;
    }
  }
  return best;
}

function foldLatency(input: TJudgementInput, carry: TSequentialCarry, logLevel: number, lastStart: number): boolean {
  const hist = latencyHistogram(input);
  if (!hist) return false;
  const binMs = input.binSeconds * 1000;
  const { bounds } = hist;
  const inf = bounds.length - 1;
  const baseline: readonly THistogramBin[] = hist.series.baseline;
  const canary: readonly THistogramBin[] = hist.series.canary;
  let next = carry.nextBin;
  if (carry.boundIndex === null) {
    const merged = carry.calibration ?? new Array<number>(bounds.length).fill(0);
    for (let i = firstAtOrAfter(baseline, next); i < baseline.length; i++) {
      const b = baseline[i]!;
      if (b.t > lastStart) break;
      for (let k = 0; k < merged.length; k++) merged[k]! += b.counts[k] ?? 0;
      next = b.t + binMs;
      if ((merged[inf] ?? 0) >= LATENCY_CALIBRATION_REQUESTS) {
        carry.boundIndex = chooseBound(bounds, merged);
        break;
      }
    }
    carry.calibration = merged;
    if (carry.boundIndex === null) {
      carry.nextBin = Math.max(carry.nextBin, lastStart + binMs);
      return true;
    }
    carry.nextBin = Math.max(carry.nextBin, next);
  }
  const best = carry.boundIndex;
  let cursor = firstAtOrAfter(baseline, carry.nextBin);
  for (let j = firstAtOrAfter(canary, carry.nextBin); j < canary.length; j++) {
    const c = canary[j]!;
    if (c.t > lastStart) break;
    while (cursor < baseline.length && baseline[cursor]!.t < c.t) cursor++;
    const b = baseline[cursor];
    if (b === undefined || b.t !== c.t) continue;
    const cTotal = c.counts[inf] ?? 0;
    const bTotal = b.counts[inf] ?? 0;
    observe(carry.detector, carry.tolerance, c.t + binMs, cTotal - (c.counts[best] ?? 0), cTotal, bTotal - (b.counts[best] ?? 0), bTotal);
    record(carry, logLevel, c.t + binMs);
  }
  carry.nextBin = Math.max(carry.nextBin, lastStart + binMs);
  return true;
}

function formatE(logE: number): string {
  if (logE >= Math.log(1e6)) return `e^${logE.toFixed(0)}`;
  const e = Math.exp(logE);
  return e >= 10 ? e.toFixed(0) : e.toPrecision(2);
}

/** A finite e-value for the evidence envelope (JSON has no Infinity). */
function finiteE(logE: number): number {
  return Math.exp(Math.min(logE, 700));
}

export function evaluateSequential(
  gate: TSequentialGate,
  input: TJudgementInput,
  previous: TSequentialCarry | null,
): { evaluation: TGateEvaluation; carry: TSequentialCarry | null } {
  const alpha = gateAlpha(gate, input);
  const logLevel = logAlarmLevel(alpha);
  const binMs = input.binSeconds * 1000;
  const from = judgedFrom(input, gate);
  const tolerance = gate.tolerance ?? DEFAULT_TOLERANCE;
  const isLatency = gate.metric === 'latency';
  const what = isLatency ? 'share of slow requests' : 'error rate';

  if (input.now < from) {
    const evaluation = gateEvaluation(gate, 'inconclusive', `Warming up: the ${what} is judged from ${formatSeconds((from - input.stage.enteredAt) / 1000)} after the stage began.`, {
      windowSeconds: 0,
    });
    return { evaluation, carry: null };
  }
  const resumable = previous && previous.stage === input.stage.key && previous.judgedFrom === from && previous.tolerance === tolerance;
  const carry = resumable ? cloneCarry(previous) : freshCarry(input.stage.key, from, tolerance, previous);
  const lastStart = input.now - binMs - (((input.now - input.releaseStartedAt) % binMs) + binMs) % binMs; // the latest complete bin (bins start on releaseStartedAt + k·bin)
  const fold = (into: TSequentialCarry, through: number) =>
    isLatency ? foldLatency(input, into, logLevel, through) : (foldErrors(input, into, logLevel, through), true);
  // Bins settled for SETTLE_MS are folded into the carry for good; the recent tail is folded into a copy at
  // every evaluation, so points that arrive a little late (a scrape, a once-a-minute push) still count.
  fold(carry, lastStart - SETTLE_MS);
  const view = cloneCarry(carry);
  const hasData = fold(view, lastStart);
  const d = view.detector;
  const logE = logStatistic(d);
  const canaryShare = d.canaryTrials > 0 ? d.canaryEvents / d.canaryTrials : null;
  const baselineShare = d.baselineTrials > 0 ? d.baselineEvents / d.baselineTrials : null;
  const windowSeconds = Math.max(0, (input.now - from) / 1000);

  const result = (verdict: TGateVerdict, summary: string) => ({
    evaluation: gateEvaluation(gate, verdict, summary, {
      canary: canaryShare,
      baseline: baselineShare,
      windowSeconds,
      sampleSize: d.canaryTrials,
      eValue: finiteE(logE),
      eValueToFail: finiteE(logLevel),
    }),
    carry,
  });

  if (isLatency && (!hasData || view.boundIndex === null)) {
    const have = view.calibration?.[view.calibration.length - 1] ?? 0;
    const why = !hasData
      ? 'No latency histogram: the comparison needs bucket counts (latency_ms), not percentiles'
      : `Choosing the latency bound: the baseline has ${formatCount(have)} of the ${formatCount(LATENCY_CALIBRATION_REQUESTS)} requests it needs this stage`;
    return result('inconclusive', `${why}.`);
  }
  const boundText = isLatency ? ` slower than ${formatValue('bound_ms', latencyHistogram(input)!.bounds[view.boundIndex!]!)}` : '';
  const subject = isLatency ? `share of requests${boundText}` : 'error rate';
  const shares = `canary ${formatValue('share', canaryShare)} vs baseline ${formatValue('share', baselineShare)}`;
  const margin = `more than ${Math.round(tolerance * 100)}% worse`;
  if (view.lastAlarmAt !== null && input.now - view.lastAlarmAt <= ALARM_HOLD_MS + binMs) {
    const ago = formatSeconds(Math.max(0, (input.now - (view.alarmSince ?? view.lastAlarmAt)) / 1000));
    return result(
      gate.severity === 'warn' ? 'warn' : 'fail',
      `The canary's ${subject} is ${margin} than the baseline's (${shares}): the sequential test's evidence reached ${formatE(logLevel)} (α = ${formatValue('share', alpha)}) ${ago} ago and is ${formatE(logE)} now.`,
    );
  }
  const minRequests = gate.minRequests ?? SEQUENTIAL_DEFAULT_MIN_REQUESTS;
  const enough =
    d.canaryTrials >= minRequests &&
    d.baselineEvents >= SEQUENTIAL_MIN_BASELINE_EVENTS &&
    d.expectedCanaryEvents >= SEQUENTIAL_MIN_EXPECTED_CANARY_EVENTS;
  if (!enough) {
    return result(
      'inconclusive',
      `Too little evidence this stage to compare the canary's ${subject} with the baseline's: ${formatCount(d.canaryTrials)} canary requests (${formatCount(minRequests)} needed), ${formatCount(d.baselineEvents)} baseline events (${SEQUENTIAL_MIN_BASELINE_EVENTS} needed) and ${d.expectedCanaryEvents.toFixed(1)} expected canary events (${SEQUENTIAL_MIN_EXPECTED_CANARY_EVENTS} needed).`,
    );
  }
  return result(
    'pass',
    `No evidence the canary's ${subject} is ${margin} (${shares}): evidence ${formatE(logE)}, below the ${formatE(logLevel)} that fails it, over ${formatCount(d.canaryTrials)} canary requests this stage.`,
  );
}
