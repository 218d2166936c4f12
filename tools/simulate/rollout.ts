// One rollout: the scenario's traffic bin by bin, through the pipeline into the binned store, judged every
// 10 s through `judgeOnce` with the setting's gates and stages. It stops at the first judgement where a gate
// of severity pause or rollback fails (the rollout would stop there) or at the end of its plan.
import type { TGateSpec } from '../../packages/contracts/src/index.js';
import type { TJudgementInput } from '../../packages/domain/src/index.js';
import { initialDelayOf } from './configs.js';
import type { TGateConfig, TPlannedStage } from './configs.js';
import { judgeOnce } from './engine.js';
import type { TEngineState } from './engine.js';
import { Exporter } from './pipeline/pipeline.js';
import { MetricStore } from './pipeline/store.js';
import { Random } from './random.js';
import type { TScenario } from './scenarios.js';
import { CohortGauges } from './traffic/gauges.js';
import { LATENCY_BOUNDS } from './traffic/latency.js';
import { TrafficModel } from './traffic/model.js';
import type { TRegressionEffect } from './traffic/model.js';

export const BIN_SECONDS = 10;
const BINS_PER_DAY = (24 * 3600) / BIN_SECONDS;

export interface TRolloutSpec {
  seed: number;
  rps: number;
  config: TGateConfig;
  scenario: TScenario;
  stages: TPlannedStage[];
  regression: TRegressionEffect | null;
  noBaseline?: boolean;
}

export interface TRolloutResult {
  /** Seconds from the release start to the first failing pause/rollback gate, or null. */
  actedAt: number | null;
  actedBy: string | null;
  /** When the stage that acted was entered, and its initial delay (seconds). */
  actedStageEnteredAt: number | null;
  actedStageDelay: number | null;
  /** First warn (a warn-severity gate warning or failing), or null. */
  warnedAt: number | null;
  warnedBy: string | null;
  judgements: number;
}

function acts(gate: { severity: TGateSpec['severity']; verdict: string }): boolean {
  return gate.verdict === 'fail' && (gate.severity === 'pause' || gate.severity === 'rollback');
}

function warns(gate: { severity: TGateSpec['severity']; verdict: string }): boolean {
  return gate.verdict === 'warn' || (gate.verdict === 'fail' && gate.severity === 'warn');
}

export function runRollout(spec: TRolloutSpec): TRolloutResult {
  const rng = new Random(spec.seed);
  const binMs = BIN_SECONDS * 1000;
  // A random 10 s boundary of the day, so per-minute pushes land on whole minutes.
  const startedAt = Date.UTC(2025, 0, 1) + Math.floor(rng.next() * BINS_PER_DAY) * binMs;
  const { config, scenario } = spec;
  const model = new TrafficModel(rng, scenario.traffic, config.profile, spec.rps, BIN_SECONDS, spec.regression);
  const pipeline = { ...scenario.pipeline, ...(spec.noBaseline ? { noBaseline: true } : {}) };
  const exporters = (['canary', 'baseline'] as const).map(
    (cohort) => new Exporter(rng, cohort, pipeline, new CohortGauges(rng, config.percentiles, config.business, config.gates), config.health, binMs),
  );
  const [canaryOut, baselineOut] = exporters as [Exporter, Exporter];
  const store = new MetricStore(startedAt, binMs, LATENCY_BOUNDS);
  const input: TJudgementInput = {
    now: startedAt,
    binSeconds: BIN_SECONDS,
    stage: { key: '', enteredAt: startedAt, trafficPercent: 0 },
    releaseStartedAt: startedAt,
    gates: config.gates,
    scalars: store.scalars,
    histograms: store.histograms,
    ...(config.familyAlpha !== undefined ? { familyAlpha: config.familyAlpha } : {}),
  };
  const result: TRolloutResult = {
    actedAt: null,
    actedBy: null,
    actedStageEnteredAt: null,
    actedStageDelay: null,
    warnedAt: null,
    warnedBy: null,
    judgements: 0,
  };
  let state: TEngineState = null;
  let elapsed = 0;
  for (const [index, stage] of spec.stages.entries()) {
    const enteredS = elapsed;
    const stageInput = { key: stage.key, enteredAt: startedAt + enteredS * 1000, trafficPercent: stage.percent } as TJudgementInput['stage'];
    if (stage.initialDelaySeconds !== undefined) Object.assign(stageInput, { initialDelaySeconds: stage.initialDelaySeconds });
    input.stage = stageInput;
    const context = { index, percent: stage.percent, enteredS };
    for (let s = 0; s < stage.seconds; s += BIN_SECONDS) {
      const t = startedAt + elapsed * 1000;
      const traffic = model.bin(elapsed, t, context);
      canaryOut.record(t, traffic.canary);
      baselineOut.record(t, traffic.baseline);
      elapsed += BIN_SECONDS;
      const now = t + binMs;
      for (const point of canaryOut.deliver(now)) store.insert(point);
      for (const point of baselineOut.deliver(now)) store.insert(point);
      input.now = now;

      const judged = judgeOnce(input, state);
      state = judged.state;
      result.judgements++;
      const gates = judged.analysis.gates;
      if (result.warnedAt === null) {
        const warned = gates.find(warns);
        if (warned) [result.warnedAt, result.warnedBy] = [elapsed, warned.key];
      }
      const acted = gates.find(acts);
      if (acted) {
        result.actedAt = elapsed;
        result.actedBy = acted.key;
        result.actedStageEnteredAt = enteredS;
        result.actedStageDelay = initialDelayOf(stage);
        return result;
      }
    }
  }
  return result;
}
