// Shaping series for recharts: pure, tested.
import type { TAnalysis, TPlaybookSpec } from '@rampart/contracts';
import type { ChartPoint } from '../lib/live-cache';

export interface Row {
  t: number;
  canary: number | null;
  baseline: number | null;
}

/** Canary and baseline side by side per time; request counts per step become per second. */
export function toRows(canary: ChartPoint[], baseline: ChartPoint[], metric: string, stepSeconds: number): Row[] {
  const scale = metric === 'requests' && stepSeconds > 0 ? 1 / stepSeconds : metric === 'error_rate' ? 100 : 1;
  const byT = new Map<number, Row>();
  const row = (t: number) => {
    let r = byT.get(t);
    if (!r) {
      r = { t, canary: null, baseline: null };
      byT.set(t, r);
    }
    return r;
  };
  for (const p of canary) row(p.t).canary = p.v === null ? null : p.v * scale;
  for (const p of baseline) row(p.t).baseline = p.v === null ? null : p.v * scale;
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

export interface Threshold {
  value: number;
  label: string;
  /** Which side of the line is a breach. */
  bad: 'above' | 'below';
}

const BUILT_IN = new Set(['error_rate', 'latency_p95_ms', 'latency_p99_ms', 'latency_p50_ms', 'requests', 'errors', 'health_ok', 'latency', 'incidents']);

/** The charts a release shows: the four built-ins and each business metric its gates name. */
export function chartMetrics(spec: TPlaybookSpec | null | undefined, analysis: TAnalysis | null | undefined): string[] {
  const names = ['error_rate', 'latency_p95_ms', 'latency_p99_ms', 'requests'];
  // Not contracts' gateMetrics: a value import from the contracts pulls zod into the chunk, and zod probes
  // for eval, which the page's CSP refuses.
  const named = [...(spec?.gates ?? []).flatMap((g) => (g.kind === 'incidents' ? [] : [g.metric])), ...(analysis?.gates.map((g) => g.metric) ?? [])];
  for (const metric of named) if (!BUILT_IN.has(metric) && !names.includes(metric)) names.push(metric);
  return names;
}

/**
 * Each gate's limit on a chart, in the chart's unit (error rates in percent). The analysis gives the
 * limit the canary is held to now (baseline-relative gates included); the spec gives static limits
 * before any analysis exists.
 */
export function thresholdsFor(metric: string, spec: TPlaybookSpec | null | undefined, analysis: TAnalysis | null | undefined): Threshold[] {
  const scale = metric === 'error_rate' ? 100 : 1;
  const out: Threshold[] = [];
  const seen = new Set<string>();
  const specGates = spec?.gates ?? [];
  const badSide = (key: string): 'above' | 'below' => {
    const g = specGates.find((x) => x.key === key);
    if (!g) return 'above';
    if (g.kind === 'threshold') return g.comparator === 'below' ? 'below' : 'above';
    if ('worseWhen' in g && g.worseWhen === 'lower') return 'below';
    return 'above';
  };
  for (const gate of analysis?.gates ?? []) {
    const matches = gate.metric === metric || (gate.metric === 'latency' && metric === 'latency_p95_ms');
    if (!matches || gate.evidence.threshold === null) continue;
    seen.add(gate.key);
    out.push({ value: gate.evidence.threshold * scale, label: gate.name, bad: badSide(gate.key) });
  }
  for (const gate of specGates) {
    if (seen.has(gate.key) || gate.kind !== 'threshold' || gate.metric !== metric) continue;
    out.push({ value: gate.value * scale, label: gate.name, bad: gate.comparator === 'below' ? 'below' : 'above' });
  }
  return out;
}

/** Runs of canary points on the bad side of a threshold: [start, end] per run. */
export function breachRuns(rows: Row[], thresholds: Threshold[]): { x1: number; x2: number; label: string }[] {
  const runs: { x1: number; x2: number; label: string }[] = [];
  for (const threshold of thresholds) {
    let start: number | null = null;
    let last: number | null = null;
    for (const row of rows) {
      const bad =
        row.canary !== null && (threshold.bad === 'above' ? row.canary > threshold.value : row.canary < threshold.value);
      if (bad) {
        if (start === null) start = row.t;
        last = row.t;
      } else if (start !== null && last !== null) {
        runs.push({ x1: start, x2: last, label: threshold.label });
        start = null;
        last = null;
      }
    }
    if (start !== null && last !== null) runs.push({ x1: start, x2: last, label: threshold.label });
  }
  return runs;
}
