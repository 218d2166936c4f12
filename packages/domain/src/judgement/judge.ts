// The judgement of a release's current stage: every gate of the stage, the release verdict and a score.
import type { TAnalysis, TGateEvaluation, TGateSeverity, TGateSpec, TGateVerdict } from '@rampart/contracts';
import type { TGateStatus } from '../release/snapshot.js';
import { evaluateComparison } from './comparison.js';
import { evaluateConsecutiveFailures } from './health.js';
import { evaluateIncidentsGate } from './incidents-gate.js';
import type { TJudgementInput } from './input.js';
import { evaluateSequential } from './sequential.js';
import type { TSequentialCarry } from './sequential.js';
import { lastCanaryReport, safetyNets } from './safety-nets.js';

/** Score weights by severity: a rollback gate counts three times a warn gate. */
export const SEVERITY_WEIGHTS: Record<TGateSeverity, number> = { rollback: 3, pause: 2, warn: 1 };
/** An inconclusive gate earns this share of its weight: unknown is neither healthy nor broken. */
export const INCONCLUSIVE_CREDIT = 0.5;

/** The gates that judge a stage: those listing it, and those listing no stage. */
export function gatesForStage(gates: readonly TGateSpec[], stageKey: string): TGateSpec[] {
  return gates.filter((g) => g.stages === undefined || g.stages.includes(stageKey));
}

/** What one evaluation hands the next, so that sequential gates fold only new bins. Plain JSON. */
export interface TJudgementCarry {
  sequential: Record<string, TSequentialCarry>;
  /** End of the canary's latest bin with data, at any stage so far (the silent-canary check needs it across stages). */
  canaryReportedAt?: number | null;
}

export function evaluateGate(gate: TGateSpec, input: TJudgementInput): TGateEvaluation {
  return evaluateGateWithCarry(gate, input, null).evaluation;
}

function evaluateGateWithCarry(
  gate: TGateSpec,
  input: TJudgementInput,
  carry: TJudgementCarry | null,
): { evaluation: TGateEvaluation; carry: TSequentialCarry | null } {
  switch (gate.kind) {
    case 'threshold':
    case 'baseline_delta':
    case 'baseline_ratio':
      return { evaluation: evaluateComparison(gate, input), carry: null };
    case 'consecutive_failures':
      return { evaluation: evaluateConsecutiveFailures(gate, input), carry: null };
    case 'sequential':
      return evaluateSequential(gate, input, carry?.sequential[gate.key] ?? null);
    case 'incidents':
      return { evaluation: evaluateIncidentsGate(gate, input), carry: null };
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

/** Gates that judge the canary against the baseline, which no longer exists once the canary takes all traffic. */
function comparesToBaseline(gate: TGateSpec): boolean {
  return gate.kind === 'baseline_delta' || gate.kind === 'baseline_ratio' || gate.kind === 'sequential';
}

/** The gates that judge this stage now: at 100% traffic there is no baseline left to compare with. */
export function applicableGates(input: { gates: readonly TGateSpec[]; stage: { key: string; trafficPercent: number } }): TGateSpec[] {
  const gates = gatesForStage(input.gates, input.stage.key);
  return input.stage.trafficPercent >= 100 ? gates.filter((gate) => !comparesToBaseline(gate)) : gates;
}

/**
 * Judges the current stage. Pure and deterministic: time is `input.now`. `carry` is what the previous
 * evaluation of the same release returned (or null): with it, sequential gates fold only the bins completed
 * since, and the result is the same as without it for bins that arrived on time.
 * Score (Kayenta-like): 100 × Σ points / Σ weights, where a gate weighs 3, 2 or 1 (rollback, pause, warn)
 * and earns its weight when passing, half of it when inconclusive, nothing when warning or failing.
 * No evidence is never a pass: a stage with no gate to judge it is inconclusive, scoring half.
 */
export function judgeWithCarry(input: TJudgementInput, carry: TJudgementCarry | null): { analysis: TAnalysis; carry: TJudgementCarry } {
  const reportedNow = lastCanaryReport(input);
  const reportedBefore = carry?.canaryReportedAt ?? null;
  const next: TJudgementCarry = { sequential: {}, canaryReportedAt: Math.max(reportedNow ?? 0, reportedBefore ?? 0) || null };
  const gates = applicableGates(input).map((gate) => {
    const evaluated = evaluateGateWithCarry(gate, input, carry);
    if (evaluated.carry) next.sequential[gate.key] = evaluated.carry;
    return evaluated.evaluation;
  });
  gates.push(...safetyNets(input, reportedBefore));
  const breakdown = gates.map((g) => {
    const weight = SEVERITY_WEIGHTS[g.severity];
    return { gate: g.key, verdict: g.verdict, weight, points: points(g.verdict, weight) };
  });
  const totalWeight = breakdown.reduce((n, b) => n + b.weight, 0);
  const earned = breakdown.reduce((n, b) => n + b.points, 0);
  const analysis: TAnalysis = {
    evaluatedAt: new Date(input.now).toISOString(),
    stage: input.stage.key,
    verdict: gates.length === 0 ? 'inconclusive' : releaseVerdict(gates.map((g) => g.verdict)),
    score: totalWeight === 0 ? Math.round(100 * INCONCLUSIVE_CREDIT) : Math.round((100 * earned) / totalWeight),
    breakdown,
    gates,
  };
  return { analysis, carry: next };
}

export function judge(input: TJudgementInput): TAnalysis {
  return judgeWithCarry(input, null).analysis;
}

/** What the release state machine consumes: each gate's latest verdict. */
export function gateStatuses(analysis: TAnalysis): TGateStatus[] {
  return analysis.gates.map((g) => ({ key: g.key, name: g.name, severity: g.severity, verdict: g.verdict }));
}
