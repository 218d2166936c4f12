// Reading the binned series: windows, the error rate derived per bin, gauges as bin means, and latency
// percentiles from histograms when a pipeline sends buckets instead of percentile gauges.
import type { TBin, THistogramBin, THistogramSeries, TJudgementInput } from './input.js';

export type TCohort = 'canary' | 'baseline';

/** The latency histogram the engine reads when it needs one: `latency_ms`, else the first `latency*` one. */
export function latencyHistogram(input: TJudgementInput): THistogramSeries | undefined {
  const named = input.histograms['latency_ms'];
  if (named) return named;
  const key = Object.keys(input.histograms).find((k) => k.startsWith('latency'));
  return key === undefined ? undefined : input.histograms[key];
}

/** Index of the first bin with t >= at (binary search; bins ascend). */
export function firstAtOrAfter(bins: readonly { t: number }[], at: number): number {
  let lo = 0;
  let hi = bins.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bins[mid]!.t < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bins that start in [from, to). */
export function binsIn<B extends { t: number }>(bins: readonly B[] | undefined, from: number, to: number): B[] {
  if (!bins || bins.length === 0) return [];
  const start = firstAtOrAfter(bins, from);
  const end = firstAtOrAfter(bins, to);
  return bins.slice(start, end);
}

/** Linear interpolation inside the bucket holding the rank, as Prometheus' histogram_quantile does. */
export function histogramQuantile(bounds: readonly number[], counts: readonly number[], q: number): number | null {
  const total = counts[counts.length - 1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < counts.length; i++) {
    const cum = counts[i]!;
    if (cum >= rank) {
      const upper = bounds[i]!;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      if (!Number.isFinite(upper)) return lower;
      const below = i === 0 ? 0 : counts[i - 1]!;
      const inBucket = cum - below;
      return inBucket <= 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket;
    }
  }
  return bounds[bounds.length - 2] ?? null;
}

export interface TWindowPoint {
  t: number;
  value: number;
}

export interface TMetricWindow {
  /** Per-bin values, ascending, only bins with data. */
  points: TWindowPoint[];
  /** The value over the whole window (errors / requests, mean of the points, or the merged histogram's quantile). */
  value: number | null;
  /** Requests behind the value (error rate, histogram), else the number of points. */
  sampleSize: number;
}

const EMPTY: TMetricWindow = { points: [], value: null, sampleSize: 0 };

/** error_rate per bin: errors.sum / requests.sum; a bin with requests but no errors point has 0 errors. */
function errorRateWindow(input: TJudgementInput, cohort: TCohort, from: number, to: number): TMetricWindow {
  const requests = binsIn(input.scalars['requests']?.[cohort], from, to);
  const errors = binsIn(input.scalars['errors']?.[cohort], from, to);
  const points: TWindowPoint[] = [];
  let totalRequests = 0;
  let totalErrors = 0;
  let j = 0;
  for (const r of requests) {
    while (j < errors.length && errors[j]!.t < r.t) j++;
    const e = errors[j]?.t === r.t ? errors[j]!.sum : 0;
    if (r.sum <= 0) continue;
    points.push({ t: r.t, value: e / r.sum });
    totalRequests += r.sum;
    totalErrors += e;
  }
  return { points, value: totalRequests > 0 ? totalErrors / totalRequests : null, sampleSize: totalRequests };
}

function gaugeWindow(bins: TBin[]): TMetricWindow {
  const points: TWindowPoint[] = [];
  let sum = 0;
  let count = 0;
  for (const b of bins) {
    if (b.count <= 0) continue;
    points.push({ t: b.t, value: b.sum / b.count });
    sum += b.sum;
    count += b.count;
  }
  return { points, value: count > 0 ? sum / count : null, sampleSize: count };
}

function quantileWindow(hist: THistogramSeries, cohort: TCohort, q: number, from: number, to: number): TMetricWindow {
  const bins: THistogramBin[] = binsIn(hist.series[cohort], from, to);
  const merged = new Array<number>(hist.bounds.length).fill(0);
  const points: TWindowPoint[] = [];
  for (const b of bins) {
    const v = histogramQuantile(hist.bounds, b.counts, q);
    if (v === null) continue;
    points.push({ t: b.t, value: v });
    for (let i = 0; i < merged.length; i++) merged[i]! += b.counts[i] ?? 0;
  }
  return { points, value: histogramQuantile(hist.bounds, merged, q), sampleSize: merged[merged.length - 1] ?? 0 };
}

/** A metric's per-bin values and window value for one cohort over bins starting in [from, to). */
export function metricWindow(
  input: TJudgementInput,
  metric: string,
  cohort: TCohort,
  from: number,
  to: number,
): TMetricWindow {
  if (metric === 'error_rate') return errorRateWindow(input, cohort, from, to);
  const scalar = input.scalars[metric];
  if (scalar) return gaugeWindow(binsIn(scalar[cohort], from, to));
  // latency_p95_ms and friends, derived from buckets when the pipeline sends a histogram instead.
  const percentile = /^latency_p(\d{2})_ms$/.exec(metric);
  const hist = latencyHistogram(input);
  if (percentile && hist) return quantileWindow(hist, cohort, Number(percentile[1]) / 100, from, to);
  return EMPTY;
}

/** A cohort's requests in [from, to): the `requests` counts, else the latency histogram's +Inf counts. */
export function requestsIn(input: TJudgementInput, cohort: TCohort, from: number, to: number): number | null {
  const requests = binsIn(input.scalars['requests']?.[cohort], from, to);
  if (requests.length > 0) return requests.reduce((n, b) => n + b.sum, 0);
  const hist = latencyHistogram(input);
  const bins = binsIn(hist?.series[cohort], from, to);
  if (bins.length > 0) return bins.reduce((n, b) => n + (b.counts[b.counts.length - 1] ?? 0), 0);
  return null;
}
