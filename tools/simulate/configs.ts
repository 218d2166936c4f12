// The gate settings the simulation judges with: each built-in playbook as shipped (its own stages, gates and
// traffic percentages, against a service that meets its own lines: profiles.ts), and the documented
// two-gate setting (sequential error rate and latency, α 2.5% each) on the reference service.
import type { TGateSpec, TStageSpec } from '../../packages/contracts/src/index.js';
import { builtInPlaybookSpecs } from '../../packages/domain/src/index.js';
import { DEFAULT_INITIAL_DELAY_SECONDS } from './engine.js';
import { REFERENCE_PROFILE, profileFor } from './profiles.js';
import type { TServiceProfile } from './profiles.js';
import { FAMILY_ALPHA, SIMULATION_GATES } from './simulate.js';
import { gaugeMetrics } from './traffic/gauges.js';

export interface TPlannedStage {
  key: string;
  percent: number;
  /** How long the simulation keeps the rollout at this stage. */
  seconds: number;
  /** The playbook's own initial delay, when it sets one (the engine's default otherwise). */
  initialDelaySeconds?: number;
}

export interface TGateConfig {
  key: string;
  label: string;
  gates: TGateSpec[];
  /** Stages with traffic (0% stages are skipped: no canary traffic to judge). */
  stages: TPlannedStage[];
  profile: TServiceProfile;
  familyAlpha?: number;
  /** Latency percentile gauges the gates read (95, 99). */
  percentiles: number[];
  /** Business (and other derived) gauges the gates read. */
  business: string[];
  health: boolean;
}

export interface TPlanLimits {
  /** A stage with no (or a short) minimum bake is held this long before the next ramp. */
  minStageSeconds: number;
  /** No stage is simulated longer than this (the 24 h watch of workers-phased, say). */
  maxStageSeconds: number;
}

export const TWO_GATE_KEY = 'two-gate';
/** The documented two-gate setting's plan: 1%, 5%, 25% and 50%, 30 minutes each. */
const TWO_GATE_PLAN: TPlannedStage[] = [
  { key: 'canary-1', percent: 1, seconds: 1800 },
  { key: 'ramp-5', percent: 5, seconds: 1800 },
  { key: 'ramp-25', percent: 25, seconds: 1800 },
  { key: 'ramp-50', percent: 50, seconds: 1800 },
];

export function initialDelayOf(stage: TPlannedStage): number {
  return stage.initialDelaySeconds ?? DEFAULT_INITIAL_DELAY_SECONDS;
}

function needs(gates: TGateSpec[]): Pick<TGateConfig, 'percentiles' | 'business' | 'health'> {
  const gauges = gaugeMetrics(gates);
  const percentiles: number[] = [];
  const business: string[] = [];
  for (const m of gauges) {
    const p = /^latency_p(\d{2})_ms$/.exec(m);
    if (p) percentiles.push(Number(p[1]));
    else business.push(m);
  }
  return { percentiles, business, health: gates.some((g) => g.kind === 'consecutive_failures') };
}

function plan(stages: readonly TStageSpec[], limits: TPlanLimits): TPlannedStage[] {
  return stages
    .filter((s) => s.trafficPercent > 0)
    .map((s) => ({
      key: s.key,
      percent: s.trafficPercent,
      seconds: Math.min(limits.maxStageSeconds, Math.max(limits.minStageSeconds, s.minBakeSeconds)),
      ...(s.initialDelaySeconds !== undefined ? { initialDelaySeconds: s.initialDelaySeconds } : {}),
    }));
}

export function gateConfigs(limits: TPlanLimits): TGateConfig[] {
  const playbooks = builtInPlaybookSpecs().map(({ key, spec }) => ({
    key,
    label: key,
    gates: spec.gates,
    stages: plan(spec.stages, limits),
    profile: profileFor(key),
    ...needs(spec.gates),
  }));
  const twoGate: TGateConfig = {
    key: TWO_GATE_KEY,
    label: 'two-gate setting',
    gates: SIMULATION_GATES,
    stages: TWO_GATE_PLAN.map((s) => ({ ...s, seconds: Math.min(limits.maxStageSeconds, s.seconds) })),
    profile: REFERENCE_PROFILE,
    familyAlpha: FAMILY_ALPHA,
    ...needs(SIMULATION_GATES),
  };
  return [...playbooks, twoGate];
}
