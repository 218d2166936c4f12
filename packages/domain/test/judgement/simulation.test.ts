// A smaller `pnpm simulate`: 200 healthy rollouts, each judged every 10 s over its whole length, must not
// be wrongly failed by the sequential gates more often than the family-wise 5% they promise. The seed is
// fixed, so the outcome is deterministic; the bound keeps statistical slack so the test means something.
import { describe, expect, it } from 'vitest';
import { upperBound } from '../../../../tools/simulate/report.js';
import { simulate } from '../../../../tools/simulate/simulate.js';

const RUNS_PER_LOAD = 100;

describe('simulation: healthy rollouts', () => {
  it('wrongly fails at most 5% of healthy rollouts, family-wise over both sequential gates', () => {
    const report = simulate({
      seed: 424242,
      healthyRuns: RUNS_PER_LOAD,
      regressionRuns: 0,
      rpsLevels: [100, 1000],
      // 1%, 5% and 25% for 15 minutes each: 270 judgements a rollout, across two changes of the split.
      healthyPlan: [
        { key: 'canary-1', percent: 1, seconds: 900 },
        { key: 'ramp-5', percent: 5, seconds: 900 },
        { key: 'ramp-25', percent: 25, seconds: 900 },
      ],
    });
    const runs = report.healthy.reduce((n, r) => n + r.runs, 0);
    const wronglyFailed = report.healthy.reduce((n, r) => n + r.eFailures, 0);
    const naive = report.healthy.reduce((n, r) => n + r.zFailures, 0);
    console.log(
      `${runs} healthy rollouts: sequential ${wronglyFailed} wrongly failed (99% upper bound ${(100 * upperBound(wronglyFailed, runs, 0.99)).toFixed(1)}%), naive z-test ${naive}`,
    );
    expect(runs).toBe(2 * RUNS_PER_LOAD);
    // The observed rate within the promise, and its 99% upper confidence bound within twice it.
    expect(wronglyFailed / runs).toBeLessThanOrEqual(0.05);
    expect(upperBound(wronglyFailed, runs, 0.99)).toBeLessThanOrEqual(0.1);
    // The harness can see false positives: the fixed-horizon z-test re-run every 10 s fails this bound badly.
    expect(naive / runs).toBeGreaterThan(0.3);
    expect(upperBound(naive, runs, 0.99)).toBeGreaterThan(0.1);
  }, 120_000); // about 5 s on an idle machine; the slack is for busy CI runners
});
