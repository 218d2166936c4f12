// Threshold, baseline-delta and baseline-ratio gates.
//
// Window. At an instant τ the gate reads a trailing window of the canary's bins: at least 60 s, reaching
// further back (up to 10 minutes) until it holds the sample the gate needs, and never before the stage's
// judgement started (its initial delay). Values over the window are pooled (see windows.ts).
//
// Without a sustain span a gate breaches only when the evidence says so: the window's value is past the
// limit with 99.5% confidence (Wilson's interval for rates and histogram percentiles, the weighted mean's
// standard error for gauges), and the window holds a minimum sample derived from the limit (defaultMinSample).
// A value past the limit that is not yet conclusive is inconclusive: nothing ramps past it, nothing acts.
//
// With a sustain span a gate means what Prometheus `for:` means: the window's value was past the line at
// every evaluation instant (each bin end) for that long. Instants whose window holds too little data neither
// break nor extend the run (sparse pushes, a missing bin), and a lone healthy bin inside a window that is
// past the line does not pull it back under; only a window under the line, or five minutes without data,
// ends the run.
//
// An absolute line the baseline is past too, or a line the canary crosses while the baseline is confidently
// twice as bad as it was earlier in the stage (a retry storm or an incident hitting every host, each cohort
// by its own share), is not the canary's doing: the gate is inconclusive (it holds the ramp) and rolls
// nothing back. A sustained run
// neither grows nor breaks while it lasts. Instants are re-read with the data known now, so points pushed once a minute count for the
// instants they cover.
import type { TGateEvaluation, TGateSpec, TGateVerdict } from '@rampart/contracts';
import { formatCount, formatSeconds, formatValue, metricLabel } from './format.js';
import type { TJudgementInput } from './input.js';
import { gateEvaluation } from './evaluation.js';
import { judgedFrom } from './timing.js';
import type { TWindowSeries, TWindowStat, TWorse } from './windows.js';
import { countsRequests, windowSeries } from './windows.js';

export type TComparisonGate = Extract<TGateSpec, { kind: 'threshold' | 'baseline_delta' | 'baseline_ratio' }>;

export const DEFAULT_WINDOW_SECONDS = 60;
export const MAX_WINDOW_SECONDS = 600;
/** A window whose newest bin is older than this reads as no data. */
const RECENT_SECONDS = 2 * DEFAULT_WINDOW_SECONDS;
/** Five minutes without data ends a sustained run. */
const MAX_GAP_SECONDS = 300;
/** One-sided 99.5%. */
export const CONFIDENCE_Z = 2.576;
const MAX_DERIVED_SAMPLE = 100_000;

/**
 * The sample a window needs before the gate judges it (documented defaults), unless the gate names minRequests:
 * - error_rate above a rate r: 10 / r requests (10 errors expected at the line: 1,000 for 1%);
 * - error_rate against the baseline: 10 / maxAbsoluteChange when given, else 200;
 * - availability below a share a (read from requests and errors): 10 / (1 − a) requests;
 * - latency_pXX_ms read from a histogram: 10 / (1 − q) requests (200 for P95, 1,000 for P99);
 * - gauges (percentiles sent as numbers, business metrics): 3 points, or 1 for a sustained gate, whose span
 *   is its evidence.
 */
export function defaultMinSample(gate: TComparisonGate, sentAsGauge = false): number {
  if (sentAsGauge) return (gate.sustainSeconds ?? 0) > 0 ? 1 : 3;
  const cap = (n: number) => Math.min(MAX_DERIVED_SAMPLE, Math.ceil(n));
  if (gate.metric === 'error_rate') {
    if (gate.kind === 'threshold' && gate.comparator === 'above' && gate.value > 0) return cap(10 / gate.value);
    if (gate.kind === 'baseline_delta' && gate.maxAbsoluteChange) return cap(10 / gate.maxAbsoluteChange);
    return 200;
  }
  if (gate.metric === 'availability' && gate.kind === 'threshold' && gate.comparator === 'below' && gate.value < 1) return cap(10 / (1 - gate.value));
  const percentile = /^latency_p(\d{2})_ms$/.exec(gate.metric);
  if (percentile) return cap(10 / (1 - Number(percentile[1]) / 100));
  return (gate.sustainSeconds ?? 0) > 0 ? 1 : 3;
}

function worseWhen(gate: TComparisonGate): TWorse {
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

/** Index of the first time >= at. */
function indexAt(t: readonly number[], at: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface TReading {
  /** `shared`: an absolute line the baseline is past too (a retry storm, an incident): not the canary's doing. */
  state: 'no_data' | 'no_baseline' | 'shared' | 'past' | 'within';
  /** Past the limit as a point value, but not (yet) with confidence. */
  pointPast: boolean;
  canary: number | null;
  baseline: number | null;
  limit: number | null;
  sample: number;
  windowSeconds: number;
}

/**
 * The baseline's window is confidently at least ELEVATION times worse than it was before it this stage (its
 * failure share doubled, for shares that go bad downwards), on at least as much data before as in the window,
 * and it has come at least a quarter of the way to the line: a retry storm or a dependency's incident is
 * hitting the baseline too, even if the baseline stays short of the line the canary crossed. (A baseline going
 * from no errors to three in ten thousand is not an incident.)
 */
const ELEVATION = 2;
const ELEVATED_SHARE_OF_LINE = 0.25;
function elevated(window: TWindowStat, before: TWindowStat, limit: number, worse: TWorse): boolean {
  const usual = before.value;
  if (usual === null || window.value === null || before.sample < window.sample) return false;
  const share = worse === 'lower' && limit <= 1;
  const partWay = worse === 'higher' ? window.value >= ELEVATED_SHARE_OF_LINE * limit : share ? 1 - window.value >= ELEVATED_SHARE_OF_LINE * (1 - limit) : window.value <= limit / ELEVATED_SHARE_OF_LINE;
  const line = worse === 'higher' ? usual * ELEVATION : share ? 1 - ELEVATION * (1 - usual) : usual / ELEVATION;
  return partWay && window.past(line, worse, CONFIDENCE_Z);
}

interface TReader {
  canary: TWindowSeries;
  /** The baseline a delta or ratio is measured from. */
  baseline: TWindowSeries | null;
  /** The baseline read beside an absolute line, to tell a shared incident from the canary's own breach. */
  peer: TWindowSeries | null;
}

/**
 * The window ending at `at` (exclusive), as long as it must be to hold `need`, or (`reach`) as long as it may
 * be: a value past the limit but not yet conclusively gets the whole 10 minutes to become so.
 */
function read(gate: TComparisonGate, r: TReader, at: number, need: number, floor: number, z: number, binMs: number, reach = false): TReading {
  const t = r.canary.t;
  const hi = indexAt(t, at);
  let lo = indexAt(t, at - 1 - DEFAULT_WINDOW_SECONDS * 1000); // [at − 1 − 60 s, at): 60 s of complete bins, and the one filling
  const earliest = indexAt(t, Math.max(floor, at - MAX_WINDOW_SECONDS * 1000));
  while (lo > earliest && (reach || r.canary.sampleBefore(hi) - r.canary.sampleBefore(lo) < need)) lo--;
  // Stale data judges nothing: the newest bin must be recent (two default windows, so that points pushed
  // once a minute, or a little late, still count).
  if (hi === 0 || t[hi - 1]! < at - RECENT_SECONDS * 1000) {
    return { state: 'no_data', pointPast: false, canary: null, baseline: null, limit: null, sample: 0, windowSeconds: 0 };
  }
  const stat = r.canary.stat(lo, hi);
  const windowStart = lo < hi ? t[lo]! : at;
  const windowSeconds = Math.max(0, (Math.min(at, (hi > 0 ? t[hi - 1]! : at) + binMs) - windowStart) / 1000);
  const none: TReading = { state: 'no_data', pointPast: false, canary: stat.value, baseline: null, limit: null, sample: stat.sample, windowSeconds };
  if (stat.value === null || stat.sample < need) return none;
  let baseline: number | null = null;
  if (r.baseline) {
    const bt = r.baseline.t;
    baseline = r.baseline.stat(indexAt(bt, windowStart), indexAt(bt, at)).value;
    if (baseline === null) return { ...none, state: 'no_baseline' };
  }
  const limit = limitFor(gate, baseline)!;
  const worse = worseWhen(gate);
  const past = stat.past(limit, worse, z);
  const pointPast = stat.past(limit, worse, 0);
  if (pointPast && r.peer) {
    const from = indexAt(r.peer.t, windowStart);
    const peer = r.peer.stat(from, indexAt(r.peer.t, at));
    if (peer.value !== null && (peer.past(limit, worse, 0) || elevated(peer, r.peer.stat(indexAt(r.peer.t, floor), from), limit, worse))) {
      return { state: 'shared', pointPast, canary: stat.value, baseline: peer.value, limit, sample: stat.sample, windowSeconds };
    }
  }
  return { state: past ? 'past' : 'within', pointPast, canary: stat.value, baseline, limit, sample: stat.sample, windowSeconds };
}

export function evaluateComparison(gate: TComparisonGate, input: TJudgementInput): TGateEvaluation {
  const binMs = input.binSeconds * 1000;
  const sustain = gate.sustainSeconds ?? 0;
  const start = judgedFrom(input, gate);
  const label = metricLabel(gate.metric);
  const fmt = (v: number | null) => formatValue(gate.metric, v);
  const needsBaseline = gate.kind !== 'threshold';
  const worse = worseWhen(gate);
  const direction = worse === 'higher' ? 'above' : 'below';
  const counted = countsRequests(input, gate.metric);
  // minRequests counts requests; a gauge's window is counted in points, so it keeps its own default.
  const need = counted ? (gate.minRequests ?? defaultMinSample(gate)) : defaultMinSample(gate, true);
  const at = input.now + 1; // the bin still filling counts too

  if (input.now < start) {
    return gateEvaluation(gate, 'inconclusive', `Warming up: ${label} is judged from ${formatSeconds((start - input.stage.enteredAt) / 1000)} after the stage began.`, {});
  }
  const lookback = Math.max(start, input.now - (sustain + MAX_WINDOW_SECONDS + MAX_GAP_SECONDS) * 1000 - binMs);
  const canary = windowSeries(input, gate.metric, 'canary', lookback, at);
  const baseline = needsBaseline ? windowSeries(input, gate.metric, 'baseline', lookback, at) : null;
  const peer = !needsBaseline && input.stage.trafficPercent < 100 ? windowSeries(input, gate.metric, 'baseline', lookback, at) : null;
  const result = (verdict: TGateVerdict, summary: string, reading: TReading | null, breachedFor: number | null): TGateEvaluation =>
    gateEvaluation(gate, verdict, summary, {
      canary: reading?.canary ?? null,
      baseline: needsBaseline ? (reading?.baseline ?? null) : null,
      threshold: reading?.limit ?? (gate.kind === 'threshold' ? gate.value : null),
      windowSeconds: reading?.windowSeconds ?? 0,
      sampleSize: reading?.sample ?? 0,
      breachedForSeconds: breachedFor,
    });

  const why = input.stage.trafficPercent === 0 ? ' (the stage sends no traffic to the canary)' : '';
  if (!canary || canary.t.length === 0) return result('inconclusive', `No canary ${label} data this stage${why}.`, null, null);
  if (needsBaseline && (!baseline || baseline.t.length === 0)) {
    return result('inconclusive', `No baseline ${label} data this stage to compare the canary with.`, null, null);
  }
  const reader: TReader = { canary, baseline, peer };
  const unit = counted ? 'requests' : 'points';
  const tooLittle = (r: TReading) =>
    result(
      'inconclusive',
      r.state === 'no_baseline'
        ? `No recent baseline ${label} data to compare the canary with.`
        : r.canary === null
          ? `No recent canary ${label} data${why}.`
          : `Only ${formatCount(r.sample)} canary ${unit} in the last ${formatSeconds(r.windowSeconds)}; at least ${formatCount(need)} are needed to judge ${label}.`,
      r,
      null,
    );
  const shared = (r: TReading) =>
    result(
      'inconclusive',
      `Canary ${label} ${fmt(r.canary)} is ${direction} the limit ${fmt(r.limit)}, and so is the baseline's (${fmt(r.baseline)}): a shared incident, not the canary's doing.`,
      r,
      null,
    );
  const baselineNote = (r: TReading) => (needsBaseline ? ` (baseline ${fmt(r.baseline)})` : '');
  const breachVerdict: TGateVerdict = gate.severity === 'warn' ? 'warn' : 'fail';

  if (sustain <= 0) {
    const shortest = read(gate, reader, at, need, start, CONFIDENCE_Z, binMs);
    const now = shortest.state === 'within' && shortest.pointPast ? read(gate, reader, at, need, start, CONFIDENCE_Z, binMs, true) : shortest;
    if (now.state === 'no_data' || now.state === 'no_baseline') return tooLittle(now);
    if (now.state === 'shared') return shared(now);
    const limitText = `the limit ${fmt(now.limit)}${baselineNote(now)}`;
    const over = `over the last ${formatSeconds(now.windowSeconds)} (${formatCount(now.sample)} ${unit})`;
    if (now.state === 'past') return result(breachVerdict, `Canary ${label} ${fmt(now.canary)} is ${direction} ${limitText} ${over}, beyond doubt.`, now, 0);
    if (now.pointPast) {
      return result('inconclusive', `Canary ${label} ${fmt(now.canary)} is ${direction} ${limitText} ${over}, but not yet conclusively.`, now, 0);
    }
    return result('pass', `Canary ${label} ${fmt(now.canary)} is within ${limitText} ${over}.`, now, 0);
  }

  // Sustained: walk back over evaluation instants while the window stays past the line. The run lasts from
  // its first instant past the line to its latest: instants without data add no time to it.
  const current = read(gate, reader, at, need, start, 0, binMs);
  let runStart: number | null = null;
  let runEnd: TReading | null = null;
  let runEndAt = at;
  let lastWithData = at;
  for (let instant = at; instant > start; instant -= binMs) {
    const r = instant === at ? current : read(gate, reader, instant, need, start, 0, binMs);
    if (r.state === 'no_data' || r.state === 'no_baseline' || r.state === 'shared') {
      if (lastWithData - instant > MAX_GAP_SECONDS * 1000) break;
      continue;
    }
    if (r.state === 'within') break;
    if (runEnd === null) {
      runEnd = r;
      runEndAt = instant;
    }
    lastWithData = instant;
    runStart = instant;
    if (runEndAt - instant >= sustain * 1000) break;
  }
  const breachedFor = runStart === null ? 0 : Math.max(0, (runEndAt - runStart) / 1000);
  const shown = runEnd ?? (current.state === 'past' || current.state === 'within' ? current : null);
  const limitText = `the limit ${fmt(shown?.limit ?? null)}${shown ? baselineNote(shown) : ''}`;
  if (runStart !== null && breachedFor >= sustain) {
    return result(breachVerdict, `Canary ${label} ${fmt(shown?.canary ?? null)} has been ${direction} ${limitText} for ${formatSeconds(sustain)} or more.`, shown, breachedFor);
  }
  if (runStart !== null) {
    return result(
      'inconclusive',
      `Canary ${label} has been ${direction} ${limitText} for ${formatSeconds(breachedFor)}, short of the ${formatSeconds(sustain)} it must hold to breach.`,
      shown,
      breachedFor,
    );
  }
  if (current.state === 'no_data' || current.state === 'no_baseline') return tooLittle(current);
  if (current.state === 'shared') return shared(current);
  const over = `over the last ${formatSeconds(current.windowSeconds)} (${formatCount(current.sample)} ${unit})`;
  return result('pass', `Canary ${label} ${fmt(current.canary)} is within ${limitText} ${over}.`, current, 0);
}
