// The scenario table: healthy traffic as production has it (each its own row), and the regressions whose
// detection the simulation measures. Each model's parameters live in its module under traffic/ and
// pipeline/; the sentence here is what the report prints.
import type { TPipelineOptions } from './pipeline/pipeline.js';
import type { TRegressionEffect, TTrafficOptions } from './traffic/model.js';

export interface TScenario {
  key: string;
  name: string;
  description: string;
  traffic: TTrafficOptions;
  pipeline: TPipelineOptions;
}

const IDEAL: TPipelineOptions = { pushEverySeconds: 10 };
const SPARSE: TPipelineOptions = { pushEverySeconds: 60 };

export const HEALTHY_SCENARIOS: TScenario[] = [
  {
    key: 'clean',
    name: 'clean (reference)',
    description: 'Poisson requests at a constant load, constant error rate and log-normal latency (σ 0.5) shared by both cohorts; every 10 s bin pushed on time. The textbook case.',
    traffic: {},
    pipeline: IDEAL,
  },
  {
    key: 'overdispersed',
    name: 'overdispersed errors',
    description: 'The error rate varies bin to bin: a shared log-normal AR(1) factor (σ 0.4, ~100 s memory) times, per cohort, a slower drift (σ 0.15, ~5 min) and gamma noise each bin (CV 0.3), so counts are negative binomial; every factor has mean 1.',
    traffic: { overdispersion: true },
    pipeline: IDEAL,
  },
  {
    key: 'retry-storms',
    name: 'retry storms',
    description: 'About every 90 min a dependency blips for 20 s–2 min: 3–20% of attempts fail, clients retry up to 3×, load grows by 1 + f + f² + f³; both cohorts are hit by traffic share, each with its own clumped severity (gamma, CV 0.35 per storm, 0.2 per bin); half the failures are 1 s timeouts.',
    traffic: { retryStorms: true },
    pipeline: IDEAL,
  },
  {
    key: 'harmless',
    name: 'harmless canary 1.1× errors, 1.05× latency',
    description: "The canary's hosts run at 1.1× the baseline's error rate and 1.05× its latency, for the whole rollout: a difference nobody would roll back for.",
    traffic: { harmless: true },
    pipeline: IDEAL,
  },
  {
    key: 'daily',
    name: 'daily swing',
    description: 'Load follows the day (0.4× at night to 1.6× in the afternoon, with a steep morning ramp), the error rate with it (0.5× to 1.5×) and latency (±12%); rollouts start at a random time of day.',
    traffic: { daily: true },
    pipeline: IDEAL,
  },
  {
    key: 'lb-ramps',
    name: 'load-balancer weight ramps',
    description: 'The actual canary share lags the set percentage by 5–60 s, then moves like a damped spring (overshoot, settling in 30 s–3 min) to a level off by a log-normal factor (σ 0.2) per stage, with ±15% noise bin to bin.',
    traffic: { lbRamps: true },
    pipeline: IDEAL,
  },
  {
    key: 'gc-tail',
    name: 'heavy tail and GC pauses',
    description: 'Latency gets a Pareto tail (1% of requests, from 3× the median, α 1.5); each host pauses for GC in 3% of bins for 150 ms–1.5 s, delaying about twice the pause\'s share of its requests, so a one-host canary gets whole slow bins; a health check landing in a pause over 1 s fails.',
    traffic: { gcPauses: true },
    pipeline: IDEAL,
  },
  {
    key: 'warm-up',
    name: 'warm-up after each ramp',
    description: 'For the first 2 min after every stage change the canary is 30% slower and has 30% more errors, then the excess decays (time constant 20 s).',
    traffic: { warmUp: true },
    pipeline: IDEAL,
  },
  {
    key: 'sparse-pipeline',
    name: 'per-minute pushes, late, gaps, duplicates',
    description: "Each cohort's exporter pushes once a minute (the minute's counts and buckets, gauges over it, the latest health check), 2–15 s late (5%: 30 s–2 min); about hourly it misses 1 push (60%), 2 (30%) or 3 (10%) in a row, then sends what it held (half the time) or loses it; 3% of pushes arrive twice.",
    traffic: {},
    pipeline: SPARSE,
  },
  {
    key: 'mixed',
    name: 'all of these mixed',
    description: 'Every effect above at once, on the per-minute pipeline.',
    traffic: { overdispersion: true, retryStorms: true, harmless: true, daily: true, lbRamps: true, gcPauses: true, warmUp: true },
    pipeline: SPARSE,
  },
];

export interface TRegressionScenario {
  key: string;
  name: string;
  description: string;
  effect: TRegressionEffect;
  /** Pipeline changes on top of the background's. */
  noBaseline?: boolean;
}

export const HEALTHY_HOUR_SECONDS = 3600;

export const REGRESSION_SCENARIOS: TRegressionScenario[] = [
  {
    key: 'errors-x2',
    name: 'errors ×2',
    description: "The canary's error rate doubles from the stage's start.",
    effect: { kind: 'errors', factor: 2, startS: 0 },
  },
  {
    key: 'latency+20',
    name: 'latency +20% (P95 +20%)',
    description: "Every canary latency is 1.2× from the stage's start (so its P95 is +20%).",
    effect: { kind: 'latency', factor: 1.2, startS: 0 },
  },
  {
    key: 'outage',
    name: 'canary outage (100% errors)',
    description: 'Every canary request fails from the start; its health checks keep passing (a shallow health endpoint), so only the errors show it.',
    effect: { kind: 'outage', factor: 1, startS: 0 },
  },
  {
    key: 'outage-no-baseline',
    name: 'canary outage, no baseline points',
    description: 'The same outage with no baseline points at all (a baseline that does not report).',
    effect: { kind: 'outage', factor: 1, startS: 0 },
    noBaseline: true,
  },
  {
    key: 'errors-x2-late',
    name: 'errors ×2 after a healthy hour',
    description: "The canary's error rate doubles after one healthy hour in the same stage.",
    effect: { kind: 'errors', factor: 2, startS: HEALTHY_HOUR_SECONDS },
  },
];

/** Backgrounds the regressions run on: the textbook case and everything at once. */
export const REGRESSION_BACKGROUNDS = ['clean', 'mixed'] as const;

export function scenario(key: string): TScenario {
  const s = HEALTHY_SCENARIOS.find((x) => x.key === key);
  if (!s) throw new Error(`no scenario ${key}`);
  return s;
}
