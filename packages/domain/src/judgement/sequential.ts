// The sequential canary-vs-baseline comparison: an anytime-valid test that the canary is worse.
//
// Method: an e-process on the canary's share of events (errors, or requests slower than a latency bound)
// conditional on each time bin's total events, after Lindon & Malek, "Anytime-Valid Inference for
// Multinomial Count Data" (NeurIPS 2022), which tests the allocation of counts among cohorts with a mixture
// likelihood ratio that is a test martingale under the null.
//
// Model. In bin t the canary serves c_t requests and the baseline b_t. If each cohort's events are Poisson
// (or binomial) in its requests with rates λc and λb, then given the bin's total events n_t the canary's
// events x_t are Binomial(n_t, p_t(θ)) with θ = λc / λb (the canary's relative risk) and
//     p_t(θ) = θ·q_t / (θ·q_t + 1 − q_t),   q_t = c_t / (c_t + b_t)   (the canary's share of requests).
// The null "canary no worse" is θ ≤ 1; the one-sided alternative is θ > 1 (canary share above q_t).
// Conditioning on n_t removes the shared, unknown base rate: a daily swing of the error rate, or a load
// change, moves both cohorts and leaves the test untouched; q_t follows every change of the traffic split, so
// evidence accumulates across stages. (Under binomial rather than Poisson errors the conditional law is
// hypergeometric, which is smaller in convex order than the binomial, so the bound below still holds.)
//
// E-process. For a fixed θ the likelihood ratio of a bin is LR_t(θ) = θ^x_t / (1 + q_t(θ − 1))^n_t; its
// product over bins is a test martingale at θ = 1 and a supermartingale for every θ' < 1 (for θ > 1,
// E_θ'[θ^x] = (1 + p(θ')(θ − 1))^n ≤ (1 + q(θ − 1))^n). The e-value is a mixture of these products over a
// prior on θ: equal weights on the relative risks 1.25, 1.5, 2, 3, 5 and 10 (a log-spaced prior over the
// regressions worth catching, from a quarter worse to ten times worse). A mixture of test supermartingales
// is one, so by Ville's inequality P(sup_t E_t ≥ 1/α) ≤ α under the null however often it is looked at.
// The gate fails the first time E_t ≥ 1/α at the end of any complete bin since the release started, and
// stays failed (the rejection happened then). Only complete bins enter (a bin still filling would be
// counted twice, once partial and once whole), and bins where either cohort has no requests carry no
// information and are skipped (a 0% stage, a 100% stage).
//
// α per gate: the gate's alpha, capped at familyAlpha / (number of sequential gates in the playbook), so
// by the union bound the release's sequential gates together wrongly fail at most familyAlpha.
//
// Latency: the same test on the count of requests above a histogram bound near the baseline's P95, each
// cohort's requests being its histogram's +Inf count. The bound is fixed from the baseline's buckets at the
// start of the evidence: the first complete bins from the release start until the baseline has 1,000
// requests (calibration), choosing the finite bound whose baseline share of slower requests is closest to
// 5% on a log scale. The test then uses only the bins after the calibration. The bound is a function of data
// the test never scores and of the baseline alone, so it is fixed before any scored bin is seen and every
// scored bin's conditional law under the null is the one above: validity is untouched. (Choosing it again as
// data arrives, or from the canary, would peek.)
//
// Evidence for a pass (never on too little): the gate passes only when E_t < 1/α and the evidence holds at
// least minRequests canary requests (default 100), at least 20 baseline events, and at least 5 canary
// events expected under the null (Σ n_t·q_t): with fewer, even a large regression could not have shown.
import type { TGateEvaluation, TGateSpec, TGateVerdict } from '@rampart/contracts';
import { formatCount, formatSeconds, formatValue } from './format.js';
import type { TBin, THistogramBin, TJudgementInput } from './input.js';
import { firstAtOrAfter, latencyHistogram } from './series.js';
import { gateEvaluation } from './evaluation.js';

export type TSequentialGate = Extract<TGateSpec, { kind: 'sequential' }>;

export const DEFAULT_FAMILY_ALPHA = 0.05;
/** The prior's support: relative risks of the canary against the baseline, equally weighted. */
export const RELATIVE_RISK_GRID: readonly number[] = [1.25, 1.5, 2, 3, 5, 10];
export const SEQUENTIAL_DEFAULT_MIN_REQUESTS = 100;
export const SEQUENTIAL_MIN_BASELINE_EVENTS = 20;
export const SEQUENTIAL_MIN_EXPECTED_CANARY_EVENTS = 5;
export const LATENCY_CALIBRATION_REQUESTS = 1000;
export const LATENCY_TARGET_SHARE = 0.05;

/** The mixture e-process over bins; feed complete bins in time order. */
export class ConditionalBinomialEProcess {
  private readonly logTheta: number[];
  private readonly thetaMinusOne: number[];
  private readonly logWeight: number;
  private readonly logLr: Float64Array;
  /** Bins that carried information. */
  bins = 0;
  canaryEvents = 0;
  canaryTrials = 0;
  baselineEvents = 0;
  baselineTrials = 0;
  /** Canary events expected under the null, Σ n_t q_t. */
  expectedCanaryEvents = 0;

  constructor(grid: readonly number[] = RELATIVE_RISK_GRID) {
    this.logTheta = grid.map(Math.log);
    this.thetaMinusOne = grid.map((theta) => theta - 1);
    this.logWeight = -Math.log(grid.length);
    this.logLr = new Float64Array(grid.length);
  }

  /** Adds one bin; answers the largest log likelihood ratio over the grid (an upper bound of log E). */
  update(canaryEvents: number, canaryTrials: number, baselineEvents: number, baselineTrials: number): number {
    if (!(canaryTrials > 0 && baselineTrials > 0)) return Number.NEGATIVE_INFINITY;
    const x = Math.max(0, canaryEvents);
    const n = x + Math.max(0, baselineEvents);
    const q = canaryTrials / (canaryTrials + baselineTrials);
    this.canaryTrials += canaryTrials;
    this.baselineTrials += baselineTrials;
    this.canaryEvents += x;
    this.baselineEvents += n - x;
    this.expectedCanaryEvents += n * q;
    if (n === 0) return Number.NEGATIVE_INFINITY;
    this.bins++;
    const logLr = this.logLr;
    const logTheta = this.logTheta;
    const thetaMinusOne = this.thetaMinusOne;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < logLr.length; k++) {
      const v = logLr[k]! + x * logTheta[k]! - n * Math.log1p(q * thetaMinusOne[k]!);
      logLr[k] = v;
      if (v > max) max = v;
    }
    return max;
  }

  /** log E: the log of the prior-weighted mixture of the likelihood ratios. */
  logE(): number {
    let max = Number.NEGATIVE_INFINITY;
    for (const v of this.logLr) if (v > max) max = v;
    if (max === Number.NEGATIVE_INFINITY) return 0;
    let sum = 0;
    for (const v of this.logLr) sum += Math.exp(v - max);
    return max + Math.log(sum) + this.logWeight;
  }

  eValue(): number {
    return Math.exp(this.logE());
  }
}

/** The gate's share of the family-wise level. */
export function gateAlpha(gate: TSequentialGate, input: TJudgementInput): number {
  const sequentialGates = Math.max(1, input.gates.filter((g) => g.kind === 'sequential').length);
  const family = input.familyAlpha ?? DEFAULT_FAMILY_ALPHA;
  return Math.min(gate.alpha ?? 0.01, family / sequentialGates);
}

interface TFold {
  process: ConditionalBinomialEProcess;
  /** End of the bin at which the e-value first reached the level, if it did. */
  crossedAt: number | null;
}

function fold(): TFold {
  return { process: new ConditionalBinomialEProcess(), crossedAt: null };
}

function step(f: TFold, binEnd: number, logLevel: number, x: number, c: number, y: number, b: number): void {
  const upper = f.process.update(x, c, y, b);
  // The mixture never exceeds its largest component, so it is only computed when it could cross.
  if (f.crossedAt === null && upper >= logLevel && f.process.logE() >= logLevel) f.crossedAt = binEnd;
}

function foldErrors(input: TJudgementInput, logLevel: number, lastStart: number): TFold {
  const f = fold();
  const binMs = input.binSeconds * 1000;
  const from = input.releaseStartedAt;
  const canaryRequests: readonly TBin[] = input.scalars['requests']?.canary ?? [];
  const baselineRequests: readonly TBin[] = input.scalars['requests']?.baseline ?? [];
  const canaryErrors: readonly TBin[] = input.scalars['errors']?.canary ?? [];
  const baselineErrors: readonly TBin[] = input.scalars['errors']?.baseline ?? [];
  // Four ascending series walked together by bin start (cursors, not maps: this runs over days of bins).
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
    step(f, t + binMs, logLevel, x, c.sum, y, baselineRequests[b]!.sum);
  }
  return f;
}

interface TLatencyFold extends TFold {
  bound: number | null;
  calibratedWith: number;
}

/** Picks the bound near the baseline's P95 from the calibration bins, then folds the bins after them. */
function foldLatency(input: TJudgementInput, logLevel: number, lastStart: number): TLatencyFold | null {
  const hist = latencyHistogram(input);
  if (!hist) return null;
  const binMs = input.binSeconds * 1000;
  const { bounds } = hist;
  const inf = bounds.length - 1;
  const baseline = hist.series.baseline;
  const canary = hist.series.canary;
  const merged = new Array<number>(bounds.length).fill(0);
  let i = firstAtOrAfter(baseline, input.releaseStartedAt);
  let calibrationEnd: number | null = null;
  for (; i < baseline.length; i++) {
    const b: THistogramBin = baseline[i]!;
    if (b.t > lastStart) break;
    for (let k = 0; k < merged.length; k++) merged[k]! += b.counts[k] ?? 0;
    if ((merged[inf] ?? 0) >= LATENCY_CALIBRATION_REQUESTS) {
      calibrationEnd = b.t;
      break;
    }
  }
  const f: TLatencyFold = { ...fold(), bound: null, calibratedWith: merged[inf] ?? 0 };
  if (calibrationEnd === null) return f;
  const total = merged[inf]!;
  let best = -1;
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
  if (best < 0) return f;
  f.bound = bounds[best]!;
  let cursor = i + 1;
  for (let j = firstAtOrAfter(canary, calibrationEnd + 1); j < canary.length; j++) {
    const c = canary[j]!;
    if (c.t > lastStart) break;
    while (cursor < baseline.length && baseline[cursor]!.t < c.t) cursor++;
    const b = baseline[cursor];
    if (b === undefined || b.t !== c.t) continue;
    const cTotal = c.counts[inf] ?? 0;
    const bTotal = b.counts[inf] ?? 0;
    step(f, c.t + binMs, logLevel, cTotal - (c.counts[best] ?? 0), cTotal, bTotal - (b.counts[best] ?? 0), bTotal);
  }
  return f;
}

function formatE(e: number): string {
  if (e >= 1e6) return e.toExponential(1);
  return e >= 10 ? e.toFixed(0) : e.toPrecision(2);
}

export function evaluateSequential(gate: TSequentialGate, input: TJudgementInput): TGateEvaluation {
  const alpha = gateAlpha(gate, input);
  const level = 1 / alpha;
  const logLevel = Math.log(level);
  const binMs = input.binSeconds * 1000;
  const lastStart = input.now - binMs; // complete bins only
  const windowSeconds = Math.max(0, (input.now - input.releaseStartedAt) / 1000);
  const isLatency = gate.metric === 'latency';
  const f = isLatency ? foldLatency(input, logLevel, lastStart) : foldErrors(input, logLevel, lastStart);
  const p = f?.process;
  const canaryShare = p && p.canaryTrials > 0 ? p.canaryEvents / p.canaryTrials : null;
  const baselineShare = p && p.baselineTrials > 0 ? p.baselineEvents / p.baselineTrials : null;
  const eValue = p ? p.eValue() : 1;

  const result = (verdict: TGateVerdict, summary: string): TGateEvaluation =>
    gateEvaluation(gate, verdict, summary, {
      canary: canaryShare,
      baseline: baselineShare,
      windowSeconds,
      sampleSize: p?.canaryTrials ?? 0,
      eValue,
      eValueToFail: level,
    });

  const latencyFold = isLatency ? (f as TLatencyFold | null) : null;
  if (isLatency && (!latencyFold || latencyFold.bound === null)) {
    const why = !latencyFold
      ? 'No latency histogram: the comparison needs bucket counts (latency_ms), not percentiles'
      : `Choosing the latency bound: the baseline has ${formatCount(latencyFold.calibratedWith)} of the ${formatCount(LATENCY_CALIBRATION_REQUESTS)} requests it needs`;
    return result('inconclusive', `${why}.`);
  }
  const what = isLatency ? `share of requests slower than ${formatValue('bound_ms', latencyFold!.bound)}` : 'error rate';
  const shares = `canary ${formatValue('share', canaryShare)} vs baseline ${formatValue('share', baselineShare)}`;
  const alphaText = `α = ${formatValue('share', alpha)}`;
  if (f && f.crossedAt !== null) {
    const ago = formatSeconds(Math.max(0, (input.now - f.crossedAt) / 1000));
    return result(
      gate.severity === 'warn' ? 'warn' : 'fail',
      `The canary's ${what} is worse than the baseline's (${shares}): the sequential test's e-value reached ${formatE(level)} (${alphaText}) ${ago} ago and is ${formatE(eValue)} now.`,
    );
  }
  const minRequests = gate.minRequests ?? SEQUENTIAL_DEFAULT_MIN_REQUESTS;
  const enough =
    p !== undefined &&
    p.canaryTrials >= minRequests &&
    p.baselineEvents >= SEQUENTIAL_MIN_BASELINE_EVENTS &&
    p.expectedCanaryEvents >= SEQUENTIAL_MIN_EXPECTED_CANARY_EVENTS;
  if (!enough) {
    const have = p
      ? `${formatCount(p.canaryTrials)} canary requests (${formatCount(minRequests)} needed), ${formatCount(p.baselineEvents)} baseline events (${SEQUENTIAL_MIN_BASELINE_EVENTS} needed) and ${p.expectedCanaryEvents.toFixed(1)} expected canary events (${SEQUENTIAL_MIN_EXPECTED_CANARY_EVENTS} needed)`
      : 'no data';
    return result('inconclusive', `Too little evidence to compare the canary's ${what} with the baseline's yet: ${have}.`);
  }
  return result(
    'pass',
    `No evidence the canary's ${what} is worse (${shares}): e-value ${formatE(eValue)}, below the ${formatE(level)} that fails it (${alphaText}), over ${formatCount(p.canaryTrials)} canary requests since the release started.`,
  );
}
