// The judgement of a release's current stage: every gate of the stage, the release verdict and a score.
import type { TAnalysis, TGateEvaluation, TGateSeverity, TGateSpec, TGateVerdict } from '@rampart/contracts';
import type { TGateStatus } from '../release/snapshot.js';
import { evaluateComparison } from './comparison.js';
import { evaluateConsecutiveFailures } from './health.js';
import type { TJudgementInput } from './input.js';
import { evaluateSequential } from './sequential.js';

/** Score weights by severity: a rollback gate counts three times a warn gate. */
export const SEVERITY_WEIGHTS: Record<TGateSeverity, number> = { rollback: 3, pause: 2, warn: 1 };
/** An inconclusive gate earns this share of its weight: unknown is neither healthy nor broken. */
export const INCONCLUSIVE_CREDIT = 0.5;

/** The gates that judge a stage: those listing it, and those listing no stage. */
export function gatesForStage(gates: readonly TGateSpec[], stageKey: string): TGateSpec[] {
  return gates.filter((g) => g.stages === undefined || g.stages.includes(stageKey));
}

export function evaluateGate(gate: TGateSpec, input: TJudgementInput): TGateEvaluation {
  switch (gate.kind) {
    case 'threshold':
    case 'baseline_delta':
    case 'baseline_ratio':
      return evaluateComparison(gate, input);
    case 'consecutive_failures':
      return evaluateConsecutiveFailures(gate, input);
    case 'sequential':
      return evaluateSequential(gate, input);
  }
}

/** fail if any gate fails, else inconclusive if any is, else warn if any warns, else pass. */
export function releaseVerdict(verdicts: readonly TGateVerdict[]): TGateVerdict {
  for (const v of ['fail', 'inconclusive', 'warn'] as const) if (verdicts.includes(v)) return v;
  return 'pass';
}

function points(verdict: TGateVerdict, weight: number): number {
  if (verdict === 'pass') return weight;
  if (verdict === 'inconclusive') return weight * INCONCLUSIVE_CREDIT;
  return 0;
}

/**
 * Judges the current stage. Pure and deterministic: time is `input.now`.
 * Score (Kayenta-like): 100 × Σ points / Σ weights, where a gate weighs 3, 2 or 1 (rollback, pause, warn)
 * and earns its weight when passing, half of it when inconclusive, nothing when warning or failing.
 * A stage without gates scores 100 and passes.
 */
/** Gates that judge the canary against the baseline, which no longer exists once the canary takes all traffic. */
function comparesToBaseline(gate: TGateSpec): boolean {
  return gate.kind === 'baseline_delta' || gate.kind === 'baseline_ratio' || gate.kind === 'sequential';
}

/** The gates that judge this stage now: at 100% traffic there is no baseline left to compare with. */
export function applicableGates(input: Pick<TJudgementInput, 'gates' | 'stage'>): TGateSpec[] {
  const gates = gatesForStage(input.gates, input.stage.key);
  return input.stage.trafficPercent >= 100 ? gates.filter((gate) => !comparesToBaseline(gate)) : gates;
}

export function judge(input: TJudgementInput): TAnalysis {
  const gates = applicableGates(input).map((gate) => evaluateGate(gate, input));
  const breakdown = gates.map((g) => {
    const weight = SEVERITY_WEIGHTS[g.severity];
    return { gate: g.key, verdict: g.verdict, weight, points: points(g.verdict, weight) };
  });
  const totalWeight = breakdown.reduce((n, b) => n + b.weight, 0);
  const earned = breakdown.reduce((n, b) => n + b.points, 0);
  return {
    evaluatedAt: new Date(input.now).toISOString(),
    stage: input.stage.key,
    verdict: releaseVerdict(gates.map((g) => g.verdict)),
    score: totalWeight === 0 ? 100 : Math.round((100 * earned) / totalWeight),
    breakdown,
    gates,
  };
}

/** What the release state machine consumes: each gate's latest verdict. */
export function gateStatuses(analysis: TAnalysis): TGateStatus[] {
  return analysis.gates.map((g) => ({ key: g.key, name: g.name, severity: g.severity, verdict: g.verdict }));
}
