// The business metrics a playbook's gates name (orders created, login success rate, 5xx per minute...),
// with a healthy value inferred from the gates so a healthy canary passes them comfortably.
import type { TGateSpec } from '@rampart/contracts';

/** Names the simulator produces anyway, or that Rampart derives: never business metrics. */
const BUILT_IN = new Set([
  'requests',
  'errors',
  'error_rate',
  'latency',
  'latency_ms',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'health_ok',
]);

export interface TBusinessMetric {
  metric: string;
  /**
   * rate: a success or failure fraction in [0, 1]; level: a gauge (a pool's usage, a queue length);
   * errors_per_minute: the window's errors scaled to a minute (http_5xx_per_minute).
   */
  kind: 'rate' | 'level' | 'errors_per_minute';
  /** The value of a healthy service (unused for errors_per_minute). */
  healthy: number;
  worseWhen: 'higher' | 'lower';
  /** Values never leave [0, 1]. */
  bounded: boolean;
  /** Standard deviation of a healthy window's noise. */
  noise: number;
}

export function isBusinessMetric(metric: string): boolean {
  return !BUILT_IN.has(metric);
}

/** One business metric per name the gates use that Rampart does not know, healthy well inside every line. */
export function businessMetricsFromGates(gates: readonly TGateSpec[]): TBusinessMetric[] {
  const byMetric = new Map<string, TGateSpec[]>();
  for (const gate of gates) {
    if (gate.kind === 'sequential' || gate.kind === 'incidents' || !isBusinessMetric(gate.metric)) continue;
    byMetric.set(gate.metric, [...(byMetric.get(gate.metric) ?? []), gate]);
  }
  return [...byMetric.entries()].map(([metric, metricGates]) => inferMetric(metric, metricGates));
}

function inferMetric(metric: string, gates: TGateSpec[]): TBusinessMetric {
  const thresholds = gates.flatMap((g) => (g.kind === 'threshold' ? [g] : []));
  const directional = gates.flatMap((g) => (g.kind === 'baseline_delta' || g.kind === 'baseline_ratio' ? [g] : []));
  const worseWhen: 'higher' | 'lower' =
    thresholds[0]?.comparator === 'below' ? 'lower' : thresholds[0] ? 'higher' : (directional[0]?.worseWhen ?? 'higher');

  if (/per_minute$/.test(metric) && /(5xx|error|fail)/.test(metric)) {
    return { metric, kind: 'errors_per_minute', healthy: 0, worseWhen: 'higher', bounded: false, noise: 0 };
  }
  const lines = thresholds.map((g) => g.value);
  const bounded = /(_rate|rate$|availability|ratio|usage|utili[sz]ation|share|fraction)/.test(metric) || (lines.length > 0 && lines.every((v) => v >= 0 && v <= 1));
  const kind = /(usage|utili[sz]ation|pool|queue|saturation|level)/.test(metric) ? 'level' : 'rate';

  let healthy: number;
  if (lines.length > 0) {
    if (worseWhen === 'higher') {
      healthy = Math.min(...lines) * 0.4;
    } else {
      const line = Math.max(...lines);
      healthy = bounded ? 1 - (1 - line) * 0.3 : line > 0 ? line * 1.5 : 1;
    }
  } else if (bounded) {
    healthy = worseWhen === 'lower' ? 0.98 : 0.02;
  } else {
    healthy = 100;
  }
  // Noise small enough that a healthy window stays six deviations inside the nearest line.
  const margin = lines.length > 0 ? Math.min(...lines.map((v) => Math.abs(v - healthy))) : Math.abs(healthy) * 0.3;
  const noise = Math.min(Math.abs(healthy) * 0.02 || 0.001, margin / 6);
  return { metric, kind, healthy, worseWhen, bounded, noise };
}
