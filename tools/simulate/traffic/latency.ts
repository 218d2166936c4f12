// Latency as a mixture: a log-normal body, an optional Pareto tail, and delayed copies of the body for
// requests caught behind a stop-the-world pause or a timeout. Turned into Prometheus bucket masses.
import { normalCdf } from '../random.js';

/** Latency histogram bounds (ms), Prometheus-like; the last is +Inf. */
export const LATENCY_BOUNDS = [10, 25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 2500, 5000, Infinity];

export interface TLatencyComponent {
  weight: number;
  /** Added to every draw of the component (ms). */
  shiftMs: number;
  kind: 'lognormal' | 'pareto';
  /** lognormal: the median (ms); pareto: the minimum x_m (ms). */
  scaleMs: number;
  /** lognormal: σ of the log; pareto: the tail index α. */
  shape: number;
}

export type TLatency = TLatencyComponent[];

export interface TLatencyShape {
  medianMs: number;
  sigma: number;
  /** Share of requests in a Pareto tail starting at 3× the median (0: none). */
  tailWeight: number;
  tailAlpha: number;
}

/** The body and tail of a cohort's latency, every duration multiplied by `factor`. */
export function baseLatency(shape: TLatencyShape, factor: number): TLatency {
  const body: TLatencyComponent = { weight: 1 - shape.tailWeight, shiftMs: 0, kind: 'lognormal', scaleMs: shape.medianMs * factor, shape: shape.sigma };
  if (shape.tailWeight <= 0) return [body];
  return [body, { weight: shape.tailWeight, shiftMs: 0, kind: 'pareto', scaleMs: 3 * shape.medianMs * factor, shape: shape.tailAlpha }];
}

/**
 * Moves `share` of the requests behind a delay spread evenly over [0, maxDelayMs] (a pause: requests that
 * arrived during it wait for its end), approximated by three equally weighted shifts of the distribution.
 */
export function withDelay(latency: TLatency, share: number, maxDelayMs: number): TLatency {
  if (share <= 0 || maxDelayMs <= 0) return latency;
  const s = Math.min(1, share);
  const out: TLatency = latency.map((c) => ({ ...c, weight: c.weight * (1 - s) }));
  for (const fraction of [1 / 6, 1 / 2, 5 / 6]) {
    for (const c of latency) out.push({ ...c, weight: (c.weight * s) / 3, shiftMs: c.shiftMs + fraction * maxDelayMs });
  }
  return out;
}

/** Moves `share` of the requests to a fixed latency (a client or proxy timeout). */
export function withTimeouts(latency: TLatency, share: number, timeoutMs: number): TLatency {
  if (share <= 0) return latency;
  const s = Math.min(1, share);
  const out: TLatency = latency.map((c) => ({ ...c, weight: c.weight * (1 - s) }));
  out.push({ weight: s, shiftMs: timeoutMs, kind: 'lognormal', scaleMs: 1, shape: 0.01 });
  return out;
}

function componentCdf(c: TLatencyComponent, x: number): number {
  const y = x - c.shiftMs;
  if (y <= 0) return 0;
  if (c.kind === 'lognormal') return normalCdf((Math.log(y) - Math.log(c.scaleMs)) / c.shape);
  return y <= c.scaleMs ? 0 : 1 - Math.pow(c.scaleMs / y, c.shape);
}

/** Each bucket's share of requests (not cumulative), summing to 1. */
export function bucketMasses(latency: TLatency, bounds: readonly number[] = LATENCY_BOUNDS): number[] {
  const masses: number[] = [];
  let previous = 0;
  for (const bound of bounds) {
    let cdf = 1;
    if (Number.isFinite(bound)) {
      cdf = 0;
      for (const c of latency) cdf += c.weight * componentCdf(c, bound);
    }
    masses.push(Math.max(0, cdf - previous));
    previous = Math.max(previous, cdf);
  }
  return masses;
}

/** Prometheus' histogram_quantile, as the engine reads it. */
export { histogramQuantile } from '../../../packages/domain/src/index.js';
