// Gauges a pipeline computes from a cohort's recent traffic and pushes beside the counters: latency
// percentiles (Prometheus' histogram_quantile over the last minute's buckets), availability and 5xx per
// minute (from the same errors and requests; availability over the last 5 minutes), and the business metrics the playbooks name. Business metrics
// are healthy and equal in both cohorts, with the noise of the events behind them: a success rate over a
// minute of logins is a binomial share of the logins that minute, and is missing when there were none.
import type { TGateSpec } from '../../../packages/contracts/src/index.js';
import type { Random } from '../random.js';
import { LogNormalAr1 } from './distributions.js';
import { LATENCY_BOUNDS, histogramQuantile } from './latency.js';
import type { TCohortBin } from './model.js';

/** Gauges are computed over the trailing minute, as `rate(...[1m])` would; availability over 5 minutes (an SLO's short window). */
export const GAUGE_WINDOW_BINS = 6;
const AVAILABILITY_WINDOW_BINS = 30;
const BUILT_IN = new Set(['requests', 'errors', 'error_rate', 'latency', 'health_ok']);
/** Share of requests that are the business event (a login, an order, an upload). */
const EVENT_SHARE = 0.05;

type TBusinessKind = { kind: 'success'; level: number } | { kind: 'failure'; level: number } | { kind: 'utilisation'; level: number } | { kind: 'availability' } | { kind: 'per_minute' };

/** The gauge metrics the gates read, other than requests, errors, the histogram and health checks. */
export function gaugeMetrics(gates: readonly TGateSpec[]): string[] {
  const names = new Set<string>();
  for (const g of gates) {
    if (g.kind === 'consecutive_failures' || g.kind === 'incidents') continue;
    if (!BUILT_IN.has(g.metric)) names.add(g.metric);
  }
  return [...names].sort();
}

function classify(metric: string, gates: readonly TGateSpec[]): TBusinessKind {
  if (metric === 'availability') return { kind: 'availability' };
  if (/_per_minute$/.test(metric)) return { kind: 'per_minute' };
  const mine = gates.filter((g) => g.kind !== 'consecutive_failures' && g.kind !== 'sequential' && g.kind !== 'incidents' && g.metric === metric);
  const lower = mine.some((g) => (g.kind === 'threshold' ? g.comparator === 'below' : g.kind !== 'sequential' && g.kind !== 'consecutive_failures' && g.kind !== 'incidents' && g.worseWhen === 'lower'));
  const lines = mine.flatMap((g) => (g.kind === 'threshold' ? [g.value] : []));
  if (/usage|utili[sz]ation|pool/.test(metric)) {
    // Half the lowest line it must stay under.
    return { kind: 'utilisation', level: lines.length > 0 ? 0.5 * Math.min(...lines) : 0.3 };
  }
  if (lower) {
    // A success rate: a quarter of the way from the line to 1.
    return { kind: 'success', level: lines.length > 0 ? 1 - (1 - Math.min(...lines)) / 4 : 0.97 };
  }
  return { kind: 'failure', level: lines.length > 0 ? Math.min(...lines) / 4 : 0.02 };
}

interface TRing {
  requests: number[];
  errors: number[];
  /** Requests and errors over the availability window. */
  longRequests: number[];
  longErrors: number[];
  counts: number[][];
  events: Map<string, { events: number[]; hits: number[] }>;
}

/** One cohort's gauges, fed every bin; `values()` reads them over the trailing minute. */
export class CohortGauges {
  private readonly ring: TRing = { requests: [], errors: [], longRequests: [], longErrors: [], counts: [], events: new Map() };
  private readonly kinds: Map<string, TBusinessKind>;
  private readonly drift: Map<string, LogNormalAr1>;

  constructor(
    private readonly rng: Random,
    private readonly percentiles: number[],
    business: string[],
    gates: readonly TGateSpec[],
  ) {
    this.kinds = new Map(business.map((m) => [m, classify(m, gates)]));
    this.drift = new Map(business.map((m) => [m, new LogNormalAr1(rng, 0.1, 0.95)]));
    for (const m of business) this.ring.events.set(m, { events: [], hits: [] });
  }

  private push<T>(list: T[], value: T, size = GAUGE_WINDOW_BINS): void {
    list.push(value);
    if (list.length > size) list.shift();
  }

  add(bin: TCohortBin): void {
    this.push(this.ring.longRequests, bin.requests, AVAILABILITY_WINDOW_BINS);
    this.push(this.ring.longErrors, bin.errors, AVAILABILITY_WINDOW_BINS);
    this.push(this.ring.requests, bin.requests);
    this.push(this.ring.errors, bin.errors);
    this.push(this.ring.counts, bin.counts);
    for (const [metric, kind] of this.kinds) {
      if (kind.kind !== 'success' && kind.kind !== 'failure') continue;
      const ring = this.ring.events.get(metric)!;
      const events = this.rng.poisson(bin.requests * EVENT_SHARE);
      this.push(ring.events, events);
      this.push(ring.hits, this.rng.binomial(events, kind.level));
    }
  }

  /** The gauges' values now; a gauge with nothing behind it is left out. */
  values(load: number): Map<string, number> {
    const out = new Map<string, number>();
    const requests = sum(this.ring.requests);
    if (requests > 0) {
      const merged = new Array<number>(LATENCY_BOUNDS.length).fill(0);
      for (const c of this.ring.counts) for (let i = 0; i < merged.length; i++) merged[i]! += c[i] ?? 0;
      for (const p of this.percentiles) {
        const v = histogramQuantile(LATENCY_BOUNDS, merged, p / 100);
        if (v !== null) out.set(`latency_p${p}_ms`, v);
      }
    }
    const minutes = (this.ring.requests.length * 10) / 60;
    for (const [metric, kind] of this.kinds) {
      const drift = this.drift.get(metric)!.step();
      switch (kind.kind) {
        case 'availability': {
          const long = sum(this.ring.longRequests);
          if (long > 0) out.set(metric, 1 - sum(this.ring.longErrors) / long);
          break;
        }
        case 'per_minute':
          if (minutes > 0) out.set(metric, sum(this.ring.errors) / minutes);
          break;
        case 'utilisation':
          out.set(metric, Math.min(1, kind.level * Math.pow(load, 0.7) * drift));
          break;
        case 'success':
        case 'failure': {
          const ring = this.ring.events.get(metric)!;
          const events = sum(ring.events);
          if (events > 0) out.set(metric, sum(ring.hits) / events);
          break;
        }
      }
    }
    return out;
  }
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
