// The production-like suite: every healthy scenario and every regression, at each load, under each gate
// setting, as a fixed list of seeded jobs (any subset reproduces; shards take every n-th job).
import { gateConfigs } from './configs.js';
import type { TGateConfig, TPlanLimits } from './configs.js';
import { mix } from './random.js';
import { runRollout } from './rollout.js';
import { HEALTHY_SCENARIOS, REGRESSION_BACKGROUNDS, REGRESSION_SCENARIOS, scenario } from './scenarios.js';

export interface TSuiteOptions {
  seed: number;
  healthyRuns: number;
  regressionRuns: number;
  loads: number[];
  limits: TPlanLimits;
  /** Minutes a regression run lasts after the regression starts. */
  regressionMinutes: number;
  /** Only these scenario / setting keys (all when empty). */
  scenarios?: string[];
  configs?: string[];
  shard?: { index: number; count: number };
  onProgress?: (done: number, total: number) => void;
}

export interface THealthyResult {
  scenario: string;
  rps: number;
  config: string;
  runs: number;
  /** Rollouts where a pause or rollback gate failed. */
  acted: number;
  /** Rollouts that warned but were never acted on. */
  warnOnly: number;
  /** Which gate acted first, by count. */
  actedBy: Record<string, number>;
  /** By acting gate: seconds into the stage at which it acted, per rollout. */
  actedIntoStage: Record<string, number[]>;
}

export interface TRegressionResult {
  regression: string;
  background: string;
  rps: number;
  config: string;
  percent: number;
  runs: number;
  /** Acted on before the regression started (a false alarm in the healthy part of the run). */
  preOnset: number;
  /** Seconds from the regression start to the first action (null: not acted on in the run). */
  times: (number | null)[];
  /** The same, from the later of the regression start and the end of the stage's initial delay. */
  afterDelay: (number | null)[];
  /** Seconds from the regression start to the first warning (null: none). */
  warnTimes: (number | null)[];
  actedBy: Record<string, number>;
}

export interface TSuiteReport {
  configs: { key: string; label: string; profile: string; stages: string; gates: number }[];
  healthy: THealthyResult[];
  regressions: TRegressionResult[];
  judgements: number;
  seconds: number;
}

function stagesText(config: TGateConfig): string {
  return config.stages.map((s) => `${s.percent}% ${Math.round(s.seconds / 60)} min`).join(', ');
}

export function runSuite(options: TSuiteOptions): TSuiteReport {
  const began = performance.now();
  const configs = gateConfigs(options.limits).filter((c) => !options.configs?.length || options.configs.includes(c.key));
  const healthyScenarios = HEALTHY_SCENARIOS.filter((s) => !options.scenarios?.length || options.scenarios.includes(s.key));
  const report: TSuiteReport = {
    configs: configs.map((c) => ({ key: c.key, label: c.label, profile: c.profile.description, stages: stagesText(c), gates: c.gates.length })),
    healthy: [],
    regressions: [],
    judgements: 0,
    seconds: 0,
  };
  const jobs: (() => void)[] = [];
  const horizon = options.regressionMinutes * 60;

  healthyScenarios.forEach((sc, si) => {
    options.loads.forEach((rps, li) => {
      configs.forEach((config, ci) => {
        const row: THealthyResult = { scenario: sc.key, rps, config: config.key, runs: 0, acted: 0, warnOnly: 0, actedBy: {}, actedIntoStage: {} };
        report.healthy.push(row);
        for (let i = 0; i < options.healthyRuns; i++) {
          jobs.push(() => {
            const run = runRollout({ seed: mix(options.seed, 11, si, li, ci, i), rps, config, scenario: sc, stages: config.stages, regression: null });
            report.judgements += run.judgements;
            row.runs++;
            if (run.actedAt !== null) {
              row.acted++;
              row.actedBy[run.actedBy!] = (row.actedBy[run.actedBy!] ?? 0) + 1;
              (row.actedIntoStage[run.actedBy!] ??= []).push(run.actedAt - run.actedStageEnteredAt!);
            } else if (run.warnedAt !== null) row.warnOnly++;
          });
        }
      });
    });
  });

  REGRESSION_SCENARIOS.forEach((reg, ri) => {
    REGRESSION_BACKGROUNDS.forEach((bg, bi) => {
      const background = scenario(bg);
      options.loads.forEach((rps, li) => {
        configs.forEach((config, ci) => {
          const first = config.stages[0]!;
          const onset = reg.effect.startS;
          const stages = [{ ...first, seconds: onset + horizon }];
          const row: TRegressionResult = {
            regression: reg.key,
            background: bg,
            rps,
            config: config.key,
            percent: first.percent,
            runs: 0,
            preOnset: 0,
            times: [],
            afterDelay: [],
            warnTimes: [],
            actedBy: {},
          };
          report.regressions.push(row);
          for (let i = 0; i < options.regressionRuns; i++) {
            jobs.push(() => {
              const run = runRollout({
                seed: mix(options.seed, 12, ri, bi, li, ci, i),
                rps,
                config,
                scenario: background,
                stages,
                regression: reg.effect,
                ...(reg.noBaseline ? { noBaseline: true } : {}),
              });
              report.judgements += run.judgements;
              row.runs++;
              if (run.actedAt !== null && run.actedAt < onset) {
                row.preOnset++;
                return;
              }
              const delayEnd = Math.max(onset, (run.actedStageEnteredAt ?? 0) + (run.actedStageDelay ?? 0));
              row.times.push(run.actedAt === null ? null : run.actedAt - onset);
              row.afterDelay.push(run.actedAt === null ? null : Math.max(0, run.actedAt - delayEnd));
              row.warnTimes.push(run.warnedAt === null || run.warnedAt < onset ? null : run.warnedAt - onset);
              if (run.actedBy) row.actedBy[run.actedBy] = (row.actedBy[run.actedBy] ?? 0) + 1;
            });
          }
        });
      });
    });
  });

  const shard = options.shard ?? { index: 0, count: 1 };
  const mine = jobs.filter((_, j) => j % shard.count === shard.index);
  mine.forEach((job, done) => {
    job();
    if ((done + 1) % 10 === 0 || done + 1 === mine.length) options.onProgress?.(done + 1, mine.length);
  });
  report.seconds = (performance.now() - began) / 1000;
  return report;
}

export function mergeSuiteReports(reports: TSuiteReport[]): TSuiteReport {
  const [first, ...rest] = reports;
  if (!first) throw new Error('no reports to merge');
  const merged: TSuiteReport = structuredClone(first);
  const addCounts = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  };
  for (const r of rest) {
    r.healthy.forEach((row, i) => {
      const m = merged.healthy[i]!;
      m.runs += row.runs;
      m.acted += row.acted;
      m.warnOnly += row.warnOnly;
      addCounts(m.actedBy, row.actedBy);
      for (const [k, v] of Object.entries(row.actedIntoStage)) (m.actedIntoStage[k] ??= []).push(...v);
    });
    r.regressions.forEach((row, i) => {
      const m = merged.regressions[i]!;
      m.runs += row.runs;
      m.preOnset += row.preOnset;
      m.times.push(...row.times);
      m.afterDelay.push(...row.afterDelay);
      m.warnTimes.push(...row.warnTimes);
      addCounts(m.actedBy, row.actedBy);
    });
    merged.judgements += r.judgements;
    merged.seconds = Math.max(merged.seconds, r.seconds);
  }
  return merged;
}
