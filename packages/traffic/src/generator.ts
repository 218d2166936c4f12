// The pure half of the simulator: given a scenario, a seed and the traffic split, the metric points of
// one window for the canary and the baseline. No I/O and no clock: the same seed and the same calls
// give the same points, so scenarios are tested without a server.
import type { TCohort, TMetricPointInput } from '@rampart/contracts';
import type { TBusinessMetric } from './business-metrics.js';
import { Random } from './random.js';
import type { TCanaryEffect, TScenarioInput, TScenarioModel } from './scenarios.js';
import { scenarioModel } from './scenarios.js';

/** Upper bounds (ms) of the latency histogram; +Inf closes it. */
export const DEFAULT_LATENCY_BUCKETS_MS = [25, 50, 100, 200, 300, 500, 750, 1000, 2000, 5000] as const;

/** Beyond this many requests per cohort and window, latencies are sampled and the histogram scaled. */
const MAX_LATENCY_SAMPLES = 20_000;

export interface TGeneratorOptions {
  scenario: TScenarioInput;
  seed: number;
  /** Requests per second over both cohorts (default 100); a scenario may override it (low_traffic). */
  rps?: number;
  /** Seconds each window covers (default 1). */
  windowSeconds?: number;
  /** The healthy error rate of both cohorts, a fraction (default 0.0005: 0.05%). */
  baseErrorRate?: number;
  /** Median latency of a healthy request in ms (default 120). */
  latencyMedianMs?: number;
  /** Log-space spread of latency (default 0.5: P95 ≈ 2.3 × median, P99 ≈ 3.2 × median). */
  latencySigma?: number;
  /** A health check per cohort every this many seconds (default 5). */
  healthEverySeconds?: number;
  /** Business metrics to produce, e.g. from `businessMetricsFromGates`. */
  businessMetrics?: readonly TBusinessMetric[];
  latencyBucketsMs?: readonly number[];
  /** Where elapsed time starts (epoch ms); default the start of the first window generated. */
  origin?: number;
}

export interface TCohortWindow {
  requests: number;
  errors: number;
  /** Null when the cohort served nothing in the window. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  healthOk: boolean | null;
}

export interface TWindow {
  /** Epoch ms the points carry: the end of the window. */
  ts: number;
  elapsedSeconds: number;
  canaryPercent: number;
  effect: TCanaryEffect;
  canary: TCohortWindow;
  baseline: TCohortWindow;
  points: TMetricPointInput[];
}

export class TrafficGenerator {
  readonly windowSeconds: number;
  readonly rps: number;
  readonly model: TScenarioModel;
  private readonly random: Random;
  private readonly baseErrorRate: number;
  private readonly latencyMedianMs: number;
  private readonly latencySigma: number;
  private readonly healthEveryWindows: number;
  private readonly business: readonly TBusinessMetric[];
  private readonly buckets: readonly number[];
  private origin: number | null;

  constructor(options: TGeneratorOptions) {
    this.model = scenarioModel(options.scenario);
    this.random = new Random(options.seed);
    this.windowSeconds = options.windowSeconds ?? 1;
    this.rps = this.model.rps ?? options.rps ?? 100;
    this.baseErrorRate = options.baseErrorRate ?? 0.0005;
    this.latencyMedianMs = options.latencyMedianMs ?? 120;
    this.latencySigma = options.latencySigma ?? 0.5;
    this.healthEveryWindows = Math.max(1, Math.round((options.healthEverySeconds ?? 5) / this.windowSeconds));
    this.business = options.businessMetrics ?? [];
    this.buckets = options.latencyBucketsMs ?? DEFAULT_LATENCY_BUCKETS_MS;
    this.origin = options.origin ?? null;
    if (!(this.windowSeconds > 0)) throw new RangeError('windowSeconds must be positive');
    if (!(this.rps >= 0)) throw new RangeError('rps must be zero or more');
    if (!(this.baseErrorRate >= 0 && this.baseErrorRate <= 1)) throw new RangeError('baseErrorRate is a fraction');
  }

  /** The healthy P95 latency (ms) the model implies. */
  get baseP95Ms(): number {
    return this.latencyMedianMs * Math.exp(1.6449 * this.latencySigma);
  }

  /** The canary share this window uses: the scenario's pinned share, or the percent the tooling applied. */
  splitPercent(appliedPercent: number): number {
    return this.model.canaryPercent ?? appliedPercent;
  }

  /** The window ending at `end` (epoch ms), with `appliedPercent` of traffic on the canary. */
  window(end: number, appliedPercent: number): TWindow {
    const start = end - this.windowSeconds * 1000;
    if (this.origin === null) this.origin = start;
    const elapsedSeconds = (start - this.origin) / 1000;
    const canaryPercent = Math.min(100, Math.max(0, this.splitPercent(appliedPercent)));
    const effect = this.model.effect(elapsedSeconds, this.baseP95Ms);
    const healthCheck = Math.round(elapsedSeconds / this.windowSeconds) % this.healthEveryWindows === 0;

    const total = this.random.poisson(this.rps * this.windowSeconds);
    const canaryRequests = this.random.binomial(total, canaryPercent / 100);
    const points: TMetricPointInput[] = [];

    const canaryErrorRate = Math.min(1, effect.errorRate ?? this.baseErrorRate * effect.errorFactor);
    const canary = this.cohort(points, end, 'canary', {
      requests: canaryRequests,
      errorRate: canaryErrorRate,
      latencyFactor: effect.latencyFactor,
      healthOk: canaryPercent > 0 && healthCheck ? effect.healthOk : null,
      badness: effect.errorFactor,
    });
    const baseline = this.cohort(points, end, 'baseline', {
      requests: total - canaryRequests,
      errorRate: this.baseErrorRate,
      latencyFactor: 1,
      healthOk: canaryPercent < 100 && healthCheck ? true : null,
      badness: 1,
    });
    return { ts: end, elapsedSeconds, canaryPercent, effect, canary, baseline, points };
  }

  private cohort(
    points: TMetricPointInput[],
    ts: number,
    cohort: TCohort,
    input: { requests: number; errorRate: number; latencyFactor: number; healthOk: boolean | null; badness: number },
  ): TCohortWindow {
    const { requests } = input;
    const errors = this.random.binomial(requests, input.errorRate);
    points.push({ ts, cohort, metric: 'requests', value: requests }, { ts, cohort, metric: 'errors', value: errors });

    let p50: number | null = null;
    let p95: number | null = null;
    let p99: number | null = null;
    if (requests > 0) {
      const sampled = Math.min(requests, MAX_LATENCY_SAMPLES);
      const latencies = new Float64Array(sampled);
      const median = this.latencyMedianMs * input.latencyFactor;
      for (let i = 0; i < sampled; i++) latencies[i] = this.random.logNormal(median, this.latencySigma);
      latencies.sort();
      const rank = (q: number) => round1(latencies[Math.min(sampled - 1, Math.max(0, Math.ceil(q * sampled) - 1))] ?? 0);
      p50 = rank(0.5);
      p95 = rank(0.95);
      p99 = rank(0.99);
      points.push(
        { ts, cohort, metric: 'latency_p50_ms', value: p50 },
        { ts, cohort, metric: 'latency_p95_ms', value: p95 },
        { ts, cohort, metric: 'latency_p99_ms', value: p99 },
        { ts, cohort, metric: 'latency_ms', buckets: histogram(latencies, this.buckets, requests) },
      );
    }
    if (input.healthOk !== null) points.push({ ts, cohort, metric: 'health_ok', value: input.healthOk ? 1 : 0 });
    if (requests > 0) {
      for (const metric of this.business) {
        points.push({ ts, cohort, metric: metric.metric, value: this.businessValue(metric, errors, input.badness) });
      }
    }
    return { requests, errors, p50, p95, p99, healthOk: input.healthOk };
  }

  private businessValue(metric: TBusinessMetric, errors: number, badness: number): number {
    if (metric.kind === 'errors_per_minute') return round4((errors * 60) / this.windowSeconds);
    const { healthy } = metric;
    let mean: number;
    if (metric.kind === 'rate' && metric.bounded) {
      // A success rate loses, a failure rate gains, in proportion to the canary's error factor.
      mean = metric.worseWhen === 'lower' ? 1 - (1 - healthy) * badness : healthy * badness;
    } else {
      mean = metric.worseWhen === 'higher' ? healthy * badness : healthy / badness;
    }
    let value = mean + metric.noise * this.random.normal();
    if (metric.bounded) value = Math.min(1, Math.max(0, value));
    else if (healthy >= 0) value = Math.max(0, value);
    return round4(value);
  }
}

/** Cumulative counts per upper bound, closed by +Inf = every request; scaled up when latencies were sampled. */
function histogram(sorted: Float64Array, bounds: readonly number[], requests: number) {
  const scale = requests / sorted.length;
  const buckets: { le: number | '+Inf'; count: number }[] = [];
  let i = 0;
  for (const le of bounds) {
    while (i < sorted.length && (sorted[i] ?? Infinity) <= le) i++;
    buckets.push({ le, count: Math.min(requests, Math.round(i * scale)) });
  }
  buckets.push({ le: '+Inf', count: requests });
  return buckets;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
