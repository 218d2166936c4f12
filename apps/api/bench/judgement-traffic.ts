// The playbooks and the healthy traffic of the judgement-cost benchmark (judgement-cost.ts): 10-second bins
// of both cohorts, requests, errors and a latency histogram, plus the gauges the playbook's gates name.
// The same shapes are generated in memory (engine figures) and in SQL (database figures).
import type { TPlaybookSpec } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import { BUILT_IN_PLAYBOOKS } from '@rampart/domain';
import type { TBin, THistogramBin, TJudgementInput } from '@rampart/domain';
import { DEFAULT_LATENCY_BUCKETS_MS, Random, normalCdf } from '@rampart/traffic';

export const BIN_MS = 10_000;
export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface TBenchPlaybook {
  /** Short name in the printed figures. */
  name: string;
  spec: TPlaybookSpec;
  /** The stage the releases sit in (index into spec.stages). */
  stageIndex: number;
  /** Canary-only gauges the gates read, with their healthy value. */
  gauges: Record<string, number>;
}

/** Seed 004 (Project Valine), at its 25% stage: 12 gates, among them a sequential error-rate test and a health check. */
export function valinePlaybook(): TBenchPlaybook {
  const valine = BUILT_IN_PLAYBOOKS.find((p) => p.key === 'valine-canary');
  if (!valine) throw new Error('the valine-canary seed is missing');
  return {
    name: 'valine-canary',
    spec: ZPlaybookSpec.parse(valine.spec),
    stageIndex: 1,
    gauges: { health_ok: 1, availability: 0.9996, db_connection_pool_usage: 0.3 },
  };
}

/** Two sequential tests (error rate and latency) and a sustained error-rate threshold, at a 10% canary. */
export function sequentialPairPlaybook(): TBenchPlaybook {
  return {
    name: 'sequential-pair',
    stageIndex: 0,
    gauges: {},
    spec: ZPlaybookSpec.parse({
      stages: [
        { key: 'canary', name: 'Canary', trafficPercent: 10, minBakeSeconds: 3600 },
        { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
      ],
      gates: [
        { key: 'errors-sequential', name: 'Error rate not worse than baseline', kind: 'sequential', metric: 'error_rate', alpha: 0.01, severity: 'rollback' },
        { key: 'latency-sequential', name: 'Latency not worse than baseline', kind: 'sequential', metric: 'latency', alpha: 0.01, severity: 'pause' },
        { key: 'errors-sustained', name: 'Error rate above 2% for 2 minutes', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.02, sustainSeconds: 120, severity: 'rollback' },
      ],
    }),
  };
}

/** Requests per bin of each cohort at the stage's traffic share (1,000 requests per 10 s in all). */
export function requestsPerBin(playbook: TBenchPlaybook): { canary: number; baseline: number } {
  const share = (playbook.spec.stages[playbook.stageIndex]?.trafficPercent ?? 10) / 100;
  return { canary: Math.round(1000 * share), baseline: Math.round(1000 * (1 - share)) };
}

/** 0.05%: under every error-rate line of the playbooks, and under valine's availability line (99.9%) too. */
export const ERROR_RATE = 0.0005;
/** Upper bounds in ms; the last is +Inf. */
export const LATENCY_BOUNDS: number[] = [...DEFAULT_LATENCY_BUCKETS_MS, Number.POSITIVE_INFINITY];
/** Cumulative share of requests at or under each bound: log-normal latency, median 120 ms, σ 0.5 (P95 ≈ 270 ms). */
export const LATENCY_CDF: number[] = LATENCY_BOUNDS.map((b) => (Number.isFinite(b) ? normalCdf(Math.log(b / 120) / 0.5) : 1));

function histogramCounts(requests: number): number[] {
  return LATENCY_CDF.map((share) => Math.round(requests * share));
}

const bin = (t: number, v: number): TBin => ({ t, sum: v, count: 1, max: v, last: v });

/** Every bin of a stage entered at `enteredAt`, for `spanMs`, as the database would bin it (one point per bin and series). */
export function stageTraffic(playbook: TBenchPlaybook, enteredAt: number, spanMs: number, seed = 1): Pick<TJudgementInput, 'scalars' | 'histograms'> {
  const random = new Random(seed);
  const perBin = requestsPerBin(playbook);
  const scalars: TJudgementInput['scalars'] = {
    requests: { canary: [], baseline: [] },
    errors: { canary: [], baseline: [] },
  };
  for (const metric of Object.keys(playbook.gauges)) scalars[metric] = { canary: [], baseline: [] };
  const hist = { canary: [] as THistogramBin[], baseline: [] as THistogramBin[] };
  for (let t = enteredAt; t < enteredAt + spanMs; t += BIN_MS) {
    for (const cohort of ['canary', 'baseline'] as const) {
      const n = random.poisson(perBin[cohort]);
      scalars['requests']![cohort].push(bin(t, n));
      scalars['errors']![cohort].push(bin(t, random.binomial(n, ERROR_RATE)));
      hist[cohort].push({ t, counts: histogramCounts(n) });
    }
    for (const [metric, value] of Object.entries(playbook.gauges)) scalars[metric]!.canary.push(bin(t, value));
  }
  return { scalars, histograms: { latency_ms: { bounds: LATENCY_BOUNDS, series: hist } } };
}

/** The same traffic restricted to bins starting in [from, to). */
export function trafficBetween(traffic: Pick<TJudgementInput, 'scalars' | 'histograms'>, from: number, to: number): Pick<TJudgementInput, 'scalars' | 'histograms'> {
  const cut = <B extends { t: number }>(bins: B[]): B[] => {
    let lo = 0;
    while (lo < bins.length && bins[lo]!.t < from) lo++;
    let hi = lo;
    while (hi < bins.length && bins[hi]!.t < to) hi++;
    return bins.slice(lo, hi);
  };
  const scalars: TJudgementInput['scalars'] = {};
  for (const [metric, s] of Object.entries(traffic.scalars)) scalars[metric] = { canary: cut(s.canary), baseline: cut(s.baseline) };
  const histograms: TJudgementInput['histograms'] = {};
  for (const [metric, h] of Object.entries(traffic.histograms)) {
    histograms[metric] = { bounds: h.bounds, series: { canary: cut(h.series.canary), baseline: cut(h.series.baseline) } };
  }
  return { scalars, histograms };
}
