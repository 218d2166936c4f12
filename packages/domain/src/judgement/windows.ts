// Trailing windows over one cohort's bins, with prefix sums so a window at any instant costs O(log n), and
// the confidence that a window's value is past a limit.
//
// Kinds of metric:
// - error_rate: errors / requests pooled over the window; confidence from the Wilson score interval.
// - latency_pXX_ms from a histogram: the merged buckets' quantile; "P95 above L" is read as "more than 5%
//   of requests slower than L", judged with the Wilson interval of that share.
// - gauges (latency percentiles sent as numbers, business metrics): the mean of the window's points, each
//   weighted by the requests of its bin when `requests` are sent (a P95 over 1,000 requests outweighs one over
//   10), with the standard error of that weighted mean across points, counting points that repeat each
//   other (rolling averages) as fewer independent ones (gaugeHistory). An availability gauge sent beside
//   request counts is judged as a share of those requests instead (Wilson's interval), as its points are
//   rolling averages whose spread tells nothing of the sample behind them.
import type { TBin, THistogramSeries, TJudgementInput } from './input.js';
import { firstAtOrAfter, histogramQuantile, latencyHistogram } from './series.js';
import type { TCohort } from './series.js';

export type TWorse = 'higher' | 'lower';

export interface TWindowStat {
  value: number | null;
  /** Requests behind the value (rates, histograms), else points. */
  sample: number;
  /** True when the value is past `limit` in the bad direction with confidence z (z = 0: the point value). */
  past(limit: number, worse: TWorse, z: number): boolean;
}

export interface TWindowSeries {
  /** Bin starts, ascending. */
  readonly t: readonly number[];
  /** The statistic over bins [lo, hi) (indices). */
  stat(lo: number, hi: number): TWindowStat;
  /** Cumulative sample before bin i, for finding how far back a window must reach. */
  sampleBefore(i: number): number;
}

/** Wilson score bounds of a share x/n. */
function wilson(x: number, n: number, z: number): { lower: number; upper: number } {
  if (n <= 0) return { lower: 0, upper: 1 };
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  return { lower: Math.max(0, (centre - spread) / denominator), upper: Math.min(1, (centre + spread) / denominator) };
}

function prefix(values: readonly number[]): Float64Array {
  const out = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) out[i + 1] = out[i]! + values[i]!;
  return out;
}

function sliceFrom<B extends { t: number }>(bins: readonly B[] | undefined, from: number, to: number): B[] {
  if (!bins) return [];
  return bins.slice(firstAtOrAfter(bins, from), firstAtOrAfter(bins, to));
}

function errorRateSeries(input: TJudgementInput, cohort: TCohort, from: number, to: number): TWindowSeries {
  const requests = sliceFrom(input.scalars['requests']?.[cohort], from, to).filter((b) => b.sum > 0);
  const errors = input.scalars['errors']?.[cohort] ?? [];
  const t = requests.map((b) => b.t);
  const errorCounts = requests.map((b) => {
    const i = firstAtOrAfter(errors, b.t);
    return errors[i]?.t === b.t ? errors[i]!.sum : 0;
  });
  const n = prefix(requests.map((b) => b.sum));
  const x = prefix(errorCounts);
  return {
    t,
    sampleBefore: (i) => n[i]!,
    stat(lo, hi) {
      const requestsIn = n[hi]! - n[lo]!;
      const errorsIn = x[hi]! - x[lo]!;
      return {
        value: requestsIn > 0 ? errorsIn / requestsIn : null,
        sample: requestsIn,
        past(limit, worse, z) {
          if (requestsIn <= 0) return false;
          const { lower, upper } = wilson(errorsIn, requestsIn, z);
          return worse === 'higher' ? (z > 0 ? lower : errorsIn / requestsIn) > limit : (z > 0 ? upper : errorsIn / requestsIn) < limit;
        },
      };
    },
  };
}

/** Share of requests slower than `limit` in merged cumulative bucket counts (linear inside the bucket). */
function shareAbove(bounds: readonly number[], counts: readonly number[], limit: number): number {
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return 0;
  for (let i = 0; i < bounds.length; i++) {
    if (bounds[i]! >= limit) {
      const upper = bounds[i]!;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      const below = i === 0 ? 0 : counts[i - 1]!;
      const inBucket = counts[i]! - below;
      const fraction = Number.isFinite(upper) && upper > lower ? (limit - lower) / (upper - lower) : 0;
      return (total - (below + inBucket * fraction)) / total;
    }
  }
  return 0;
}

function quantileSeries(hist: THistogramSeries, cohort: TCohort, q: number, from: number, to: number): TWindowSeries {
  const bins = sliceFrom(hist.series[cohort], from, to).filter((b) => (b.counts[b.counts.length - 1] ?? 0) > 0);
  const k = hist.bounds.length;
  const prefixes: Float64Array[] = [];
  for (let j = 0; j < k; j++) prefixes.push(prefix(bins.map((b) => b.counts[j] ?? 0)));
  const total = prefixes[k - 1]!;
  return {
    t: bins.map((b) => b.t),
    sampleBefore: (i) => total[i]!,
    stat(lo, hi) {
      const merged = prefixes.map((p) => p[hi]! - p[lo]!);
      const requests = merged[k - 1]!;
      const value = histogramQuantile(hist.bounds, merged, q);
      return {
        value,
        sample: requests,
        past(limit, worse, z) {
          if (value === null) return false;
          if (z <= 0) return worse === 'higher' ? value > limit : value < limit;
          const slow = shareAbove(hist.bounds, merged, limit) * requests;
          const { lower, upper } = wilson(slow, requests, z);
          // The q-quantile is above `limit` exactly when more than (1 − q) of requests are slower than it.
          return worse === 'higher' ? lower > 1 - q : upper < 1 - q;
        },
      };
    },
  };
}

/** Fewer points than this before a window tell nothing of how the gauge's points vary and depend on each other. */
const MIN_HISTORY_POINTS = 10;
const MAX_LAG_ONE_CORRELATION = 0.95;

/**
 * How a gauge's points varied before a window, and how much consecutive ones repeat each other: the lag-one
 * correlation ρ of the points before the window this stage (up to 15 minutes back). A gauge a pipeline computes
 * over a trailing minute and sends every 10 s shares five sixths of each point with the next, so six points
 * are about half an independent one: as an AR(1) series, n points are worth n·(1 − ρ)/(1 + ρ). Their spread
 * inside the window understates their noise (six overlapping averages hardly differ), so the variance before
 * the window is used when it is larger. Read from before the window, neither is inflated by the very change the
 * window may show. Prefix sums make each window O(1).
 */
interface THistory {
  /** Of the points [0, lo): null when too few. */
  before(lo: number): { independentShare: number; variance: number } | null;
}

function gaugeHistory(values: readonly number[]): THistory {
  const s1 = prefix(values);
  const s2 = prefix(values.map((x) => x * x));
  const lag = prefix(values.map((x, i) => (i === 0 ? 0 : x * values[i - 1]!)));
  return {
    before(k) {
      if (k < MIN_HISTORY_POINTS) return null;
      const mean = s1[k]! / k;
      const squares = s2[k]! - k * mean * mean;
      if (!(squares > 0)) return { independentShare: 1, variance: 0 };
      // Σ_{i=1}^{k−1} (x_i − m)(x_{i−1} − m), expanded over the prefix sums.
      const lagged = lag[k]! - mean * (s1[k]! - s1[1]! + s1[k - 1]!) + (k - 1) * mean * mean;
      const rho = Math.min(MAX_LAG_ONE_CORRELATION, Math.max(0, lagged / squares));
      return { independentShare: (1 - rho) / (1 + rho), variance: squares / (k - 1) };
    },
  };
}

/**
 * How a gauge's window is judged with confidence. `spread`: from the points' spread around their weighted
 * mean. `share`: the gauge is a share of the requests its bins served (availability), so the window is read
 * as that share of the window's requests and judged with Wilson's interval. Points of a share gauge are
 * rolling averages (an SLO's 5-minute availability sent every 10 s), so their spread says nothing about how
 * many requests stand behind them: two errors in 1,500 requests would otherwise be a confident breach of 99.9%.
 */
type TGaugeConfidence = 'spread' | 'share';

function gaugeSeries(bins: readonly TBin[], weights: readonly TBin[] | undefined, confidence: TGaugeConfidence = 'spread'): TWindowSeries {
  const points = bins.filter((b) => b.count > 0);
  const w = points.map((b) => {
    if (!weights) return 1;
    const i = firstAtOrAfter(weights, b.t);
    return weights[i]?.t === b.t && weights[i]!.sum > 0 ? weights[i]!.sum : 1;
  });
  const v = points.map((b) => b.sum / b.count);
  const sw = prefix(w);
  const sw2 = prefix(w.map((x) => x * x));
  const swv = prefix(w.map((x, i) => x * v[i]!));
  const swv2 = prefix(w.map((x, i) => x * v[i]! * v[i]!));
  const pointCount = prefix(points.map((b) => b.count));
  const requests = prefix(
    points.map((b) => {
      const i = weights ? firstAtOrAfter(weights, b.t) : -1;
      return weights && weights[i]?.t === b.t ? weights[i]!.sum : 0;
    }),
  );
  const history = gaugeHistory(v);
  return {
    t: points.map((b) => b.t),
    sampleBefore: (i) => pointCount[i]!,
    stat(lo, hi) {
      const weight = sw[hi]! - sw[lo]!;
      const value = weight > 0 ? (swv[hi]! - swv[lo]!) / weight : null;
      // The spread is measured between bins (each bin's mean is one observation).
      const n = hi - lo;
      return {
        value,
        sample: pointCount[hi]! - pointCount[lo]!,
        past(limit, worse, z) {
          if (value === null) return false;
          let margin = 0;
          if (z > 0 && confidence === 'share') {
            const served = requests[hi]! - requests[lo]!;
            if (served <= 0) return false;
            // The failures implied by the share, among the requests actually served in the window.
            const { lower, upper } = wilson((1 - value) * served, served, z);
            return worse === 'higher' ? 1 - upper > limit : 1 - lower < limit;
          }
          if (z > 0) {
            // Too few points to know their spread: no confident breach.
            if (n < 3) return false;
            const spread = Math.max(0, (swv2[hi]! - swv2[lo]!) / weight - value * value);
            const effective = (weight * weight) / (sw2[hi]! - sw2[lo]!);
            const before = history.before(lo);
            margin = before
              ? z * Math.sqrt(Math.max(spread, before.variance) / Math.max(1, effective * before.independentShare))
              : z * Math.sqrt(spread / Math.max(1, effective - 1));
          }
          return worse === 'higher' ? value - margin > limit : value + margin < limit;
        },
      };
    },
  };
}

/** A metric's trailing-window series for one cohort over bins starting in [from, to). */
/** The share of successful requests, read from the counts: availability is 1 − the error rate. */
function availabilitySeries(errorRate: TWindowSeries): TWindowSeries {
  return {
    t: errorRate.t,
    sampleBefore: errorRate.sampleBefore,
    stat(lo, hi) {
      const inner = errorRate.stat(lo, hi);
      return {
        value: inner.value === null ? null : 1 - inner.value,
        sample: inner.sample,
        past: (limit, worse, z) => inner.past(1 - limit, worse === 'higher' ? 'lower' : 'higher', z),
      };
    },
  };
}

/**
 * A metric's trailing-window series for one cohort over bins starting in [from, to). A latency percentile is
 * read from the histogram when one is sent (a verdict then rests on requests, not on how many points a
 * pipeline happened to send). Availability is the gauge the pipeline sends, which may count only some
 * failures (seed 004 calls 0.3% errors healthy and 99.9% availability its line); without one, it is read
 * from requests and errors.
 */
export function windowSeries(input: TJudgementInput, metric: string, cohort: TCohort, from: number, to: number): TWindowSeries | null {
  if (metric === 'error_rate') return errorRateSeries(input, cohort, from, to);
  if (metric === 'availability' && !input.scalars['availability'] && input.scalars['requests']) {
    return availabilitySeries(errorRateSeries(input, cohort, from, to));
  }
  const percentile = /^latency_p(\d{2})_ms$/.exec(metric);
  const hist = latencyHistogram(input);
  if (percentile && hist && hist.series[cohort].length > 0) return quantileSeries(hist, cohort, Number(percentile[1]) / 100, from, to);
  const scalar = input.scalars[metric];
  if (scalar) {
    const weighted = metric.startsWith('latency') || metric === 'availability';
    const weights = weighted ? sliceFrom(input.scalars['requests']?.[cohort], from, to) : undefined;
    const share = metric === 'availability' && (weights?.length ?? 0) > 0;
    return gaugeSeries(sliceFrom(scalar[cohort], from, to), weights, share ? 'share' : 'spread');
  }
  return null;
}

/** True when the window of `metric` is counted in requests (an error rate, availability, a histogram percentile). */
export function countsRequests(input: TJudgementInput, metric: string): boolean {
  if (metric === 'error_rate') return true;
  if (metric === 'availability') return !input.scalars['availability'] && (input.scalars['requests']?.canary?.length ?? 0) > 0;
  const hist = latencyHistogram(input);
  return /^latency_p\d{2}_ms$/.test(metric) && hist !== undefined && hist.series.canary.length > 0;
}
