// The reference simulation on clean traffic: canary and baseline traffic in 10-second bins fed to the
// judgement engine every 10 seconds, as the autopilot does, to measure the documented two-gate setting's
// false-positive rate on healthy rollouts and its detection times on regressions over loads 10 to 1000 req/s
// and canaries of 1 to 25%, next to a naive fixed-horizon z-test re-run as often. The production-like
// scenarios and the built-in playbooks are in suite.ts.
import type { TGateSpec } from '../../packages/contracts/src/index.js';
import type { TBin, THistogramBin, TJudgementInput } from '../../packages/domain/src/judgement/index.js';
import { judgeOnce } from './engine.js';
import type { TEngineState } from './engine.js';
import { Random, mix, normalCdf } from './random.js';
import { drawCohort } from './traffic/cohort.js';
import type { TCohortCounts } from './traffic/cohort.js';

export const BIN_SECONDS = 10;
const DAY_SECONDS = 24 * 3600;
/** Latency histogram bounds (ms), Prometheus-like; the last is +Inf. */
export const LATENCY_BOUNDS = [10, 25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 2500, 5000, Infinity];
const LATENCY_MEDIAN_MS = 100;
const LATENCY_SIGMA = 0.5; // log-normal: P95 ≈ 228 ms
const BASE_ERROR_RATE = 0.01; // swings daily between 0.5% and 1.5%
const Z_ONE_SIDED = 1.959964; // the z-test at the same 2.5% per gate as the e-process
const Z_MIN_CANARY_REQUESTS = 100;

/** The family-wise level and its split: two sequential gates, 2.5% each. */
export const FAMILY_ALPHA = 0.05;
export const SIMULATION_GATES: TGateSpec[] = [
  {
    key: 'error-rate-sequential',
    name: 'Canary error rate not worse than baseline (sequential)',
    kind: 'sequential',
    metric: 'error_rate',
    alpha: 0.025,
    severity: 'rollback',
    sustainSeconds: 0,
  },
  {
    key: 'latency-sequential',
    name: 'Canary latency not worse than baseline (sequential)',
    kind: 'sequential',
    metric: 'latency',
    alpha: 0.025,
    severity: 'rollback',
    sustainSeconds: 0,
  },
];

export interface TStagePlan {
  key: string;
  percent: number;
  seconds: number;
}

/** A healthy rollout: 1%, 5%, 25% and 50%, 30 minutes each. */
export const HEALTHY_PLAN: TStagePlan[] = [
  { key: 'canary-1', percent: 1, seconds: 1800 },
  { key: 'ramp-5', percent: 5, seconds: 1800 },
  { key: 'ramp-25', percent: 25, seconds: 1800 },
  { key: 'ramp-50', percent: 50, seconds: 1800 },
];

export type TRegression = 'errors_x2' | 'errors_x5' | 'latency_+20%' | 'latency_+50%' | 'errors_drift_x2_30min';
export const REGRESSIONS: TRegression[] = ['errors_x2', 'errors_x5', 'latency_+20%', 'latency_+50%', 'errors_drift_x2_30min'];

/** How the canary differs from the baseline `s` seconds after the release started. */
function canaryEffect(regression: TRegression | null, s: number): { errors: number; latency: number } {
  switch (regression) {
    case null:
      return { errors: 1, latency: 1 };
    case 'errors_x2':
      return { errors: 2, latency: 1 };
    case 'errors_x5':
      return { errors: 5, latency: 1 };
    case 'latency_+20%':
      return { errors: 1, latency: 1.2 };
    case 'latency_+50%':
      return { errors: 1, latency: 1.5 };
    case 'errors_drift_x2_30min':
      return { errors: 1 + Math.min(1, s / 1800), latency: 1 };
  }
}


/** One cohort's bin: a log-normal latency's bucket masses, drawn as traffic/cohort.ts draws every cohort. */
function cohortBin(rng: Random, expectedRequests: number, errorRate: number, medianMs: number): TCohortCounts {
  const masses: number[] = [];
  let previousCdf = 0;
  const logMedian = Math.log(medianMs);
  for (const bound of LATENCY_BOUNDS) {
    const cdf = Number.isFinite(bound) ? normalCdf((Math.log(bound) - logMedian) / LATENCY_SIGMA) : 1;
    masses.push(Math.max(0, cdf - previousCdf));
    previousCdf = cdf;
  }
  return drawCohort(rng, expectedRequests, errorRate, masses);
}

function bin(t: number, value: number): TBin {
  return { t, sum: value, count: 1, max: value, last: value };
}

/** The naive comparison: a one-sided two-proportion z-test over the current stage's data, re-run every bin. */
class NaiveZTest {
  private c = { requests: 0, errors: 0, counts: new Array<number>(LATENCY_BOUNDS.length).fill(0) };
  private b = { requests: 0, errors: 0, counts: new Array<number>(LATENCY_BOUNDS.length).fill(0) };

  reset(): void {
    this.c = { requests: 0, errors: 0, counts: this.c.counts.fill(0) };
    this.b = { requests: 0, errors: 0, counts: this.b.counts.fill(0) };
  }

  add(canary: TCohortCounts, baseline: TCohortCounts): void {
    this.c.requests += canary.requests;
    this.c.errors += canary.errors;
    this.b.requests += baseline.requests;
    this.b.errors += baseline.errors;
    for (let k = 0; k < LATENCY_BOUNDS.length; k++) {
      this.c.counts[k]! += canary.counts[k]!;
      this.b.counts[k]! += baseline.counts[k]!;
    }
  }

  private static z(x1: number, n1: number, x2: number, n2: number): number {
    const pooled = (x1 + x2) / (n1 + n2);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    return se > 0 ? (x1 / n1 - x2 / n2) / se : 0;
  }

  /** True when either the error rate or the share of slow requests (above the bound nearest the baseline's P95) fails. */
  fails(): boolean {
    if (this.c.requests < Z_MIN_CANARY_REQUESTS || this.b.requests <= 0) return false;
    if (NaiveZTest.z(this.c.errors, this.c.requests, this.b.errors, this.b.requests) >= Z_ONE_SIDED) return true;
    const inf = LATENCY_BOUNDS.length - 1;
    const bTotal = this.b.counts[inf]!;
    const cTotal = this.c.counts[inf]!;
    let best = -1;
    let bestDistance = Infinity;
    for (let k = 0; k < inf; k++) {
      const share = (bTotal - this.b.counts[k]!) / bTotal;
      if (share <= 0) continue;
      const distance = Math.abs(Math.log(share / 0.05));
      if (distance <= bestDistance) [best, bestDistance] = [k, distance];
    }
    if (best < 0 || cTotal <= 0) return false;
    return NaiveZTest.z(cTotal - this.c.counts[best]!, cTotal, bTotal - this.b.counts[best]!, bTotal) >= Z_ONE_SIDED;
  }
}

export interface TRunResult {
  /** Seconds from the release start to the first failing sequential gate (e-process), or null. */
  eFailedAfter: number | null;
  /** The same for the naive z-test. */
  zFailedAfter: number | null;
  /** Judge calls made. */
  judgements: number;
}

export interface TRunSpec {
  seed: number;
  rps: number;
  plan: TStagePlan[];
  regression: TRegression | null;
}

/** One release from start to the end of its plan, judged after every bin; stops once both tests have failed. */
export function runRelease(spec: TRunSpec): TRunResult {
  const rng = new Random(spec.seed);
  const binMs = BIN_SECONDS * 1000;
  const startedAt = Date.UTC(2025, 0, 1) + Math.floor(rng.next() * DAY_SECONDS) * 1000; // a random time of day
  const swingPhase = 2 * Math.PI * rng.next();
  const requests = { canary: [] as TBin[], baseline: [] as TBin[] };
  const errors = { canary: [] as TBin[], baseline: [] as TBin[] };
  const latency = { canary: [] as THistogramBin[], baseline: [] as THistogramBin[] };
  const input: TJudgementInput = {
    now: startedAt,
    binSeconds: BIN_SECONDS,
    stage: { key: '', enteredAt: startedAt, trafficPercent: 0 },
    releaseStartedAt: startedAt,
    gates: SIMULATION_GATES,
    scalars: { requests, errors },
    histograms: { latency_ms: { bounds: LATENCY_BOUNDS, series: latency } },
    familyAlpha: FAMILY_ALPHA,
  };
  const z = new NaiveZTest();
  const result: TRunResult = { eFailedAfter: null, zFailedAfter: null, judgements: 0 };
  let state: TEngineState = null;
  let elapsed = 0;
  for (const stage of spec.plan) {
    input.stage = { key: stage.key, enteredAt: startedAt + elapsed * 1000, trafficPercent: stage.percent };
    z.reset();
    const share = stage.percent / 100;
    for (let s = 0; s < stage.seconds; s += BIN_SECONDS) {
      const t = startedAt + elapsed * 1000;
      const dayAngle = (2 * Math.PI * ((t / 1000) % DAY_SECONDS)) / DAY_SECONDS + swingPhase;
      const errorRate = BASE_ERROR_RATE * (1 + 0.5 * Math.sin(dayAngle));
      const median = LATENCY_MEDIAN_MS * (1 + 0.2 * Math.sin(dayAngle + 1));
      const effect = canaryEffect(spec.regression, elapsed);
      const perBin = spec.rps * BIN_SECONDS;
      const canary = cohortBin(rng, perBin * share, Math.min(1, errorRate * effect.errors), median * effect.latency);
      const baseline = cohortBin(rng, perBin * (1 - share), errorRate, median);
      requests.canary.push(bin(t, canary.requests));
      requests.baseline.push(bin(t, baseline.requests));
      errors.canary.push(bin(t, canary.errors));
      errors.baseline.push(bin(t, baseline.errors));
      latency.canary.push({ t, counts: canary.counts });
      latency.baseline.push({ t, counts: baseline.counts });
      z.add(canary, baseline);
      elapsed += BIN_SECONDS;
      input.now = t + binMs;

      if (result.eFailedAfter === null) {
        const judged = judgeOnce(input, state);
        state = judged.state;
        const analysis = judged.analysis;
        result.judgements++;
        if (analysis.gates.some((g) => g.verdict === 'fail' || g.verdict === 'warn')) result.eFailedAfter = elapsed;
      }
      if (result.zFailedAfter === null && z.fails()) result.zFailedAfter = elapsed;
      if (result.eFailedAfter !== null && result.zFailedAfter !== null) return result;
    }
  }
  return result;
}

export interface TSimulationOptions {
  seed: number;
  healthyRuns: number;
  regressionRuns: number;
  rpsLevels?: number[];
  canaryPercents?: number[];
  regressions?: TRegression[];
  regressionMinutes?: number;
  healthyPlan?: TStagePlan[];
  /** Run only the jobs j with j % count === index (for running in several processes). */
  shard?: { index: number; count: number };
  onProgress?: (done: number, total: number) => void;
}

export interface THealthyRow {
  rps: number;
  runs: number;
  eFailures: number;
  zFailures: number;
}

export interface TRegressionRow {
  regression: TRegression;
  rps: number;
  canaryPercent: number;
  runs: number;
  /** Seconds to detection per run (null: not detected within the run), e-process and z-test. */
  eTimes: (number | null)[];
  zTimes: (number | null)[];
}

export interface TSimulationReport {
  healthy: THealthyRow[];
  regressions: TRegressionRow[];
  judgements: number;
  seconds: number;
}

/** Every rollout of the simulation, in a fixed order; each has its own seed, so any subset reproduces. */
export function simulate(options: TSimulationOptions): TSimulationReport {
  const began = performance.now();
  const rpsLevels = options.rpsLevels ?? [10, 100, 1000];
  const canaryPercents = options.canaryPercents ?? [1, 5, 25];
  const regressions = options.regressions ?? REGRESSIONS;
  const regressionSeconds = (options.regressionMinutes ?? 60) * 60;
  const healthyPlan = options.healthyPlan ?? HEALTHY_PLAN;
  const shard = options.shard ?? { index: 0, count: 1 };
  const report: TSimulationReport = { healthy: [], regressions: [], judgements: 0, seconds: 0 };
  const jobs: (() => void)[] = [];

  rpsLevels.forEach((rps, r) => {
    const row: THealthyRow = { rps, runs: 0, eFailures: 0, zFailures: 0 };
    report.healthy.push(row);
    for (let i = 0; i < options.healthyRuns; i++) {
      jobs.push(() => {
        const run = runRelease({ seed: mix(options.seed, 1, r, i), rps, plan: healthyPlan, regression: null });
        report.judgements += run.judgements;
        row.runs++;
        if (run.eFailedAfter !== null) row.eFailures++;
        if (run.zFailedAfter !== null) row.zFailures++;
      });
    }
  });
  regressions.forEach((regression, g) => {
    rpsLevels.forEach((rps, r) => {
      canaryPercents.forEach((percent, c) => {
        const row: TRegressionRow = { regression, rps, canaryPercent: percent, runs: 0, eTimes: [], zTimes: [] };
        report.regressions.push(row);
        const plan = [{ key: `canary-${percent}`, percent, seconds: regressionSeconds }];
        for (let i = 0; i < options.regressionRuns; i++) {
          jobs.push(() => {
            const run = runRelease({ seed: mix(options.seed, 2, g, r, c, i), rps, plan, regression });
            report.judgements += run.judgements;
            row.runs++;
            row.eTimes.push(run.eFailedAfter);
            row.zTimes.push(run.zFailedAfter);
          });
        }
      });
    });
  });

  const mine = jobs.filter((_, j) => j % shard.count === shard.index);
  mine.forEach((job, done) => {
    job();
    if ((done + 1) % 25 === 0 || done + 1 === mine.length) options.onProgress?.(done + 1, mine.length);
  });
  report.seconds = (performance.now() - began) / 1000;
  return report;
}

/** Shards' reports as one (rows line up because every shard builds the same rows). */
export function mergeReports(reports: TSimulationReport[]): TSimulationReport {
  const [first, ...rest] = reports;
  if (!first) throw new Error('no reports to merge');
  const merged: TSimulationReport = structuredClone(first);
  for (const r of rest) {
    r.healthy.forEach((row, i) => {
      const m = merged.healthy[i]!;
      m.runs += row.runs;
      m.eFailures += row.eFailures;
      m.zFailures += row.zFailures;
    });
    r.regressions.forEach((row, i) => {
      const m = merged.regressions[i]!;
      m.runs += row.runs;
      m.eTimes.push(...row.eTimes);
      m.zTimes.push(...row.zTimes);
    });
    merged.judgements += r.judgements;
    merged.seconds = Math.max(merged.seconds, r.seconds);
  }
  return merged;
}
