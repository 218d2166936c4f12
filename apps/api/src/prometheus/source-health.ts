// While a release's Prometheus is failing, the data it stored earlier is stale: a gate fed by it must
// not keep passing on it. This marks those gates inconclusive, with the source's error as the reason,
// and recomputes the release verdict and score the way the judgement engine does.
import type { TAnalysis, TGateEvaluation } from '@rampart/contracts';
import { INCONCLUSIVE_CREDIT, SEVERITY_WEIGHTS, releaseVerdict } from '@rampart/domain';
import type { TStoredMetricsSource } from './source-store.js';

/** The stored metric names a gate's verdict rests on. */
function inputsOf(gate: TGateEvaluation): string[] {
  if (gate.metric === 'error_rate') return ['errors', 'requests'];
  if (gate.metric === 'latency') return ['latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms'];
  return [gate.metric];
}

export function affectedGates(analysis: TAnalysis, source: TStoredMetricsSource): string[] {
  const fed = new Set(source.prometheus.queries.map((q) => q.metric));
  return analysis.gates.filter((g) => inputsOf(g).some((m) => fed.has(m))).map((g) => g.key);
}

/** The analysis as it stands while the source fails; unchanged when the source is healthy. */
export function applySourceOutage(analysis: TAnalysis, source: TStoredMetricsSource | null): TAnalysis {
  const error = source?.status.error;
  if (!source || !error) return analysis;
  const affected = new Set(affectedGates(analysis, source));
  if (affected.size === 0) return analysis;
  const gates = analysis.gates.map((g) =>
    affected.has(g.key) && g.verdict !== 'fail'
      ? { ...g, verdict: 'inconclusive' as const, summary: `Metrics source failing since ${error.since}: ${error.message}. Its last data is stale, so this gate cannot pass.` }
      : g,
  );
  const breakdown = gates.map((g) => {
    const weight = SEVERITY_WEIGHTS[g.severity];
    const points = g.verdict === 'pass' ? weight : g.verdict === 'inconclusive' ? weight * INCONCLUSIVE_CREDIT : 0;
    return { gate: g.key, verdict: g.verdict, weight, points };
  });
  const total = breakdown.reduce((n, b) => n + b.weight, 0);
  const earned = breakdown.reduce((n, b) => n + b.points, 0);
  return { ...analysis, gates, breakdown, verdict: releaseVerdict(gates.map((g) => g.verdict)), score: Math.round((100 * earned) / total) };
}
