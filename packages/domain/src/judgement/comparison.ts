// Threshold, baseline-delta and baseline-ratio gates.
//
// Window (our choice): the gate judges bins that start after the stage was entered and within a trailing
// window of 60 s, or of sustainSeconds + one bin for sustained gates (so a run that has held for the whole
// span always has its first bin inside the window). Values over the window are pooled: errors / requests for
// error_rate, the mean of the points for gauges, the merged histogram's quantile for percentiles derived
// from buckets.
//
// Sustained gates (sustainSeconds > 0) judge every bin on its own: the breach must hold in each bin of a
// continuous trailing span of sustainSeconds, measured from the start of the run's first breached bin to the
// end of its latest bin (or now, for the bin still filling). A bin that dips back under the line ends the
// run, so a single spike or a flapping metric never trips it. Bins without data neither break nor extend a
// run, but a gap of more than 60 s without data ends it. The span is wall time: Prometheus' `for:`.
import type { TGateEvaluation, TGateSpec, TGateVerdict } from '@rampart/contracts';
import { formatCount, formatSeconds, formatValue, metricLabel } from './format.js';
import type { TJudgementInput } from './input.js';
import { metricWindow, requestsIn } from './series.js';
import { gateEvaluation } from './evaluation.js';

export type TComparisonGate = Extract<TGateSpec, { kind: 'threshold' | 'baseline_delta' | 'baseline_ratio' }>;

/** The trailing window of a gate without a sustain span. */
export const DEFAULT_WINDOW_SECONDS = 60;
/** A run of breached bins ends after this long without data. */
const MAX_GAP_SECONDS = 60;

/**
 * The canary requests a verdict needs when the gate names no minRequests (documented defaults):
 * - error_rate above a rate r: ceil(1 / r) requests, below which a single error alone would breach it;
 * - error_rate against the baseline: ceil(1 / maxAbsoluteChange) when given, else 100;
 * - latency (latency_*): 20, so a P95 rests on at least one request above it;
 * - business metrics: none (their points are the evidence).
 */
export function defaultMinRequests(gate: TComparisonGate): number {
  if (gate.metric === 'error_rate') {
    if (gate.kind === 'threshold' && gate.comparator === 'above' && gate.value > 0) return Math.ceil(1 / gate.value);
    if (gate.kind === 'baseline_delta' && gate.maxAbsoluteChange) return Math.ceil(1 / gate.maxAbsoluteChange);
    return 100;
  }
  if (gate.metric.startsWith('latency')) return 20;
  return 0;
}

function worseWhen(gate: TComparisonGate): 'higher' | 'lower' {
  if (gate.kind === 'threshold') return gate.comparator === 'above' ? 'higher' : 'lower';
  return gate.worseWhen ?? 'higher';
}

/** The limit the canary is held to, given the baseline's value (null when the gate needs one and has none). */
function limitFor(gate: TComparisonGate, baseline: number | null): number | null {
  if (gate.kind === 'threshold') return gate.value;
  if (baseline === null) return null;
  const higher = worseWhen(gate) === 'higher';
  if (gate.kind === 'baseline_ratio') return higher ? baseline * gate.maxRatio : baseline / gate.maxRatio;
  // "0.5% absolute / 20% relative, whichever is higher": the larger allowance wins.
  const allowance = Math.max(gate.maxAbsoluteChange ?? 0, (gate.maxRelativeChange ?? 0) * Math.abs(baseline));
  return higher ? baseline + allowance : baseline - allowance;
}

function isBreached(value: number, limit: number, worse: 'higher' | 'lower'): boolean {
  return worse === 'higher' ? value > limit : value < limit;
}

export function evaluateComparison(gate: TComparisonGate, input: TJudgementInput): TGateEvaluation {
  const binMs = input.binSeconds * 1000;
  const sustain = gate.sustainSeconds ?? 0;
  // A sustained gate looks back far enough to see its whole span even when the newest data arrives up to
  // MAX_GAP_SECONDS late (a pipeline that pushes each window some seconds after it ends).
  const windowSeconds = sustain > 0 ? Math.max(sustain + input.binSeconds + MAX_GAP_SECONDS, DEFAULT_WINDOW_SECONDS) : DEFAULT_WINDOW_SECONDS;
  const from = Math.max(input.stage.enteredAt, input.now - windowSeconds * 1000);
  const to = input.now + 1; // the bin still filling counts too
  const spanSeconds = Math.max(0, (input.now - from) / 1000);
  const label = metricLabel(gate.metric);
  const fmt = (v: number | null) => formatValue(gate.metric, v);
  const needsBaseline = gate.kind !== 'threshold';

  const canary = metricWindow(input, gate.metric, 'canary', from, to);
  const baseline = needsBaseline
    ? metricWindow(input, gate.metric, 'baseline', from, to)
    : { points: [], value: null, sampleSize: 0 };
  const limit = limitFor(gate, baseline.value);
  const minRequests = gate.minRequests ?? defaultMinRequests(gate);
  const requests = gate.metric === 'error_rate' ? canary.sampleSize : requestsIn(input, 'canary', from, to);
  const sampleSize = requests ?? canary.sampleSize;

  const result = (verdict: TGateVerdict, summary: string, breachedForSeconds: number | null): TGateEvaluation =>
    gateEvaluation(gate, verdict, summary, {
      canary: canary.value,
      baseline: needsBaseline ? baseline.value : null,
      threshold: limit,
      windowSeconds: spanSeconds,
      sampleSize,
      breachedForSeconds,
    });

  const over = `over the last ${formatSeconds(spanSeconds)}`;
  if (canary.value === null || canary.points.length === 0) {
    const why = input.stage.trafficPercent === 0 ? ' (the stage sends no traffic to the canary)' : '';
    return result('inconclusive', `No canary ${label} data since the stage began ${over}${why}.`, null);
  }
  if (needsBaseline && (baseline.value === null || limit === null)) {
    return result('inconclusive', `No baseline ${label} data ${over} to compare the canary with.`, null);
  }
  if (minRequests > 0 && (requests === null || requests < minRequests)) {
    const have = requests === null ? 'No canary request counts' : `Only ${formatCount(requests)} canary requests`;
    return result('inconclusive', `${have} ${over}; at least ${formatCount(minRequests)} are needed to judge ${label}.`, null);
  }

  const worse = worseWhen(gate);
  const direction = worse === 'higher' ? 'above' : 'below';
  const baselineNote = needsBaseline ? ` (baseline ${fmt(baseline.value)})` : '';

  // The trailing run of breached bins, each judged against its own bin's baseline where it has one.
  const baselineByT = new Map<number, number>();
  if (needsBaseline) for (const p of baseline.points) baselineByT.set(p.t, p.value);
  let runStart: number | null = null;
  let nextT: number | null = null;
  for (let i = canary.points.length - 1; i >= 0; i--) {
    const p = canary.points[i]!;
    if (nextT !== null && nextT - (p.t + binMs) > MAX_GAP_SECONDS * 1000) break;
    const binLimit = needsBaseline ? limitFor(gate, baselineByT.get(p.t) ?? baseline.value) : limit;
    if (binLimit === null || !isBreached(p.value, binLimit, worse)) break;
    runStart = p.t;
    nextT = p.t;
  }
  const lastPoint = canary.points[canary.points.length - 1]!;
  const runEnd = Math.min(input.now, lastPoint.t + binMs);
  const breachedFor = runStart === null ? 0 : Math.max(0, (runEnd - runStart) / 1000);

  const breached = sustain > 0 ? breachedFor >= sustain : isBreached(canary.value, limit!, worse);
  const limitText = `the limit ${fmt(limit)}${baselineNote}`;
  if (breached) {
    const verdict = gate.severity === 'warn' ? 'warn' : 'fail';
    const held = sustain > 0 ? ` for ${formatSeconds(breachedFor)} (it may not for ${formatSeconds(sustain)})` : ` ${over}`;
    return result(verdict, `Canary ${label} ${fmt(sustain > 0 ? lastPoint.value : canary.value)} has been ${direction} ${limitText}${held}.`, breachedFor);
  }
  // A breach building towards its sustain window is not a pass: nothing ramps past it, nothing acts on it yet.
  if (sustain > 0 && breachedFor > 0) {
    return result(
      'inconclusive',
      `Canary ${label} has been ${direction} ${limitText} for ${formatSeconds(breachedFor)}, short of the ${formatSeconds(sustain)} it must hold to breach.`,
      breachedFor,
    );
  }
  return result('pass', `Canary ${label} ${fmt(canary.value)} is within ${limitText} ${over} (${formatCount(sampleSize)} ${requests === null ? 'points' : 'requests'}).`, breachedFor);
}
