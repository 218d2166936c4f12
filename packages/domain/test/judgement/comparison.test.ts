import { describe, expect, it } from 'vitest';
import { judge } from '../../src/judgement/index.js';
import type { TJudgementInput } from '../../src/judgement/index.js';
import { BIN, LATENCY_BOUNDS, T0, bin, bins, gate, histogramBin, input, repeat, seedGate, series, traffic } from './fixtures.js';

function only(i: TJudgementInput) {
  const analysis = judge(i);
  expect(analysis.gates).toHaveLength(1);
  return analysis.gates[0]!;
}

function errorRates(canary: number[], baseline: number[], requestsPerBin: number, from = T0) {
  const c = traffic(canary, requestsPerBin, from);
  const b = traffic(baseline, requestsPerBin * 10, from);
  return { requests: series(c.requests, b.requests), errors: series(c.errors, b.errors) };
}

describe('baseline_delta: seed 000, "0.5% absolute / 20% relative, whichever is higher"', () => {
  const errorGate = { ...seedGate('pharmacy-canary', 'error-rate-vs-baseline'), stages: undefined };

  it('allows 0.5 points over a 1% baseline (0.5 points beats 20% of 1%)', () => {
    const within = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0.014), repeat(6, 0.01), 100) }));
    expect(within.verdict).toBe('pass');
    expect(within.evidence.threshold).toBeCloseTo(0.015, 10);
    expect(within.evidence.baseline).toBeCloseTo(0.01, 10);
    expect(within.evidence.sampleSize).toBe(600);
    const over = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0.016), repeat(6, 0.01), 100) }));
    expect(over.verdict).toBe('warn'); // a warn-severity gate warns rather than fails
    expect(over.summary).toContain('above');
  });

  it('allows 20% over a 5% baseline (1 point beats 0.5 points)', () => {
    const within = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0.058), repeat(6, 0.05), 1000) }));
    expect(within.evidence.threshold).toBeCloseTo(0.06, 10);
    expect(within.verdict).toBe('pass');
    const over = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0.062), repeat(6, 0.05), 1000) }));
    expect(over.verdict).toBe('warn');
  });

  it('is inconclusive, never a pass, below its 200 requests', () => {
    const few = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0), repeat(6, 0.01), 30) }));
    expect(few.verdict).toBe('inconclusive');
    expect(few.evidence.sampleSize).toBe(180);
    expect(few.summary).toMatch(/Only 180 canary requests.*200/);
  });

  it('is inconclusive without a baseline to compare with', () => {
    const c = traffic(repeat(6, 0.01), 100);
    const noBaseline = only(input({ gates: [errorGate], scalars: { requests: series(c.requests), errors: series(c.errors) } }));
    expect(noBaseline.verdict).toBe('inconclusive');
    expect(noBaseline.summary).toContain('baseline');
  });

  it('judges a success rate that goes bad downwards (worseWhen lower)', () => {
    const orders = { ...seedGate('pharmacy-canary', 'order-success-vs-baseline'), stages: undefined };
    const scalars = { order_creation_success_rate: series(bins(repeat(6, 0.9)), bins(repeat(6, 0.97))) };
    const result = only(input({ gates: [orders], scalars }));
    expect(result.evidence.threshold).toBeCloseTo(0.97 - 0.194, 10);
    expect(result.verdict).toBe('pass');
    const worse = only(input({ gates: [orders], scalars: { order_creation_success_rate: series(bins(repeat(6, 0.7)), bins(repeat(6, 0.97))) } }));
    expect(worse.verdict).toBe('warn');
  });
});

describe('threshold with sustainSeconds: seed 001, "error rate exceeds 1% for 5 minutes"', () => {
  const sustained = seedGate('production-rollout', 'error-rate-above-1pct-5min');
  const enteredAt = T0;
  const breachFrom = T0 + 120_000;

  /** 1,000 canary requests per bin; the given rates from the stage start. */
  /** `lagSeconds`: how late the pipeline delivers each window (the newest bins are not in yet). */
  function at(now: number, rates: number[], lagSeconds = 0) {
    const c = traffic(rates, 1000, enteredAt);
    const visible = (b: { t: number }) => b.t <= now - lagSeconds * 1000;
    return only(
      input({
        now,
        gates: [sustained],
        stage: { key: 'canary-10', enteredAt, trafficPercent: 10 },
        scalars: { requests: series(c.requests.filter(visible)), errors: series(c.errors.filter(visible)) },
      }),
    );
  }
  const rates = (fn: (i: number) => number, n = 60) => Array.from({ length: n }, (_, i) => fn(i));

  it('trips exactly when the breach has held for the whole 5 minutes, not a bin before', () => {
    const breach = rates((i) => (i >= 12 ? 0.02 : 0.002)); // above 1% from 2 minutes in
    const before = at(breachFrom + 299_000, breach);
    // Building towards the window: not a pass (nothing ramps past it), not yet a fail.
    expect(before.verdict).toBe('inconclusive');
    expect(before.evidence.breachedForSeconds).toBe(299);
    expect(before.summary).toContain('short of the 5 min');
    const exactly = at(breachFrom + 300_000, breach);
    expect(exactly.verdict).toBe('fail');
    expect(exactly.evidence.breachedForSeconds).toBe(300);
    expect(exactly.severity).toBe('rollback');
    expect(at(breachFrom + 420_000, breach).verdict).toBe('fail');
  });

  it('still trips when the pipeline delivers each window half a minute late, once the delivered data spans the window', () => {
    const breach = rates((i) => (i >= 12 ? 0.02 : 0.002));
    expect(at(breachFrom + 310_000, breach, 30).verdict).toBe('inconclusive');
    const late = at(breachFrom + 330_000, breach, 30);
    expect(late.verdict).toBe('fail');
    expect(late.evidence.breachedForSeconds).toBeGreaterThanOrEqual(300);
  });

  it('never trips on a single spike', () => {
    const spike = rates((i) => (i === 20 ? 0.5 : 0.002));
    for (let now = T0 + 200_000; now <= T0 + 590_000; now += 10_000) expect(at(now, spike).verdict).not.toBe('fail');
    expect(at(T0 + 590_000, spike).verdict).toBe('pass');
  });

  it('never trips on a metric flapping around the line that dips back within the span', () => {
    // 4 minutes above, 10 seconds below, again and again.
    const flapping = rates((i) => (i % 25 === 24 ? 0.008 : 0.012));
    for (let now = T0 + 60_000; now <= T0 + 590_000; now += 10_000) expect(at(now, flapping).verdict).not.toBe('fail');
  });

  it('is inconclusive below its 100 requests over the window', () => {
    const c = traffic(repeat(30, 0.5), 3, enteredAt);
    const few = only(
      input({ now: T0 + 300_000, gates: [sustained], scalars: { requests: series(c.requests), errors: series(c.errors) } }),
    );
    expect(few.verdict).toBe('inconclusive');
  });
});

describe('baseline_ratio: seed 002, "response time exceeds 2x baseline"', () => {
  const ratio = seedGate('vercel-staging-canary', 'response-time-2x-baseline');
  const withLatency = (canary: number, baseline: number) =>
    only(
      input({
        gates: [{ ...ratio, stages: undefined }],
        scalars: {
          requests: series(bins(repeat(6, 50)), bins(repeat(6, 500))),
          latency_p95_ms: series(bins(repeat(6, canary)), bins(repeat(6, baseline))),
        },
      }),
    );

  it('passes under twice the baseline and fails over it', () => {
    const under = withLatency(590, 300);
    expect(under.verdict).toBe('pass');
    expect(under.evidence).toMatchObject({ canary: 590, baseline: 300, threshold: 600 });
    const over = withLatency(610, 300);
    expect(over.verdict).toBe('fail');
    expect(over.summary).toMatch(/610 ms.*600 ms.*baseline 300 ms/);
  });
});

describe('threshold', () => {
  it('judges "below" thresholds (seed 004: login success above 95%)', () => {
    const login = { ...seedGate('valine-canary', 'login-success-above-95pct'), stages: undefined };
    expect(only(input({ gates: [login], scalars: { login_success_rate: series(bins([0.97, 0.96])) } })).verdict).toBe('pass');
    expect(only(input({ gates: [login], scalars: { login_success_rate: series(bins([0.9, 0.93])) } })).verdict).toBe('warn');
  });

  it('defaults minRequests to 1/threshold for error-rate thresholds', () => {
    const g = gate({ key: 'e', name: 'Error rate above 2%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.02, severity: 'rollback' });
    const c = traffic(repeat(6, 0), 8); // 48 requests, no error: not a pass
    const few = only(input({ gates: [g], scalars: { requests: series(c.requests), errors: series(c.errors) } }));
    expect(few.verdict).toBe('inconclusive');
    expect(few.summary).toContain('at least 50');
    const d = traffic(repeat(6, 0), 10);
    expect(only(input({ gates: [g], scalars: { requests: series(d.requests), errors: series(d.errors) } })).verdict).toBe('pass');
  });

  it('is inconclusive without data, and says so at a 0% stage', () => {
    const g = seedGate('production-rollout', 'latency-p95-above-1s');
    const none = only(input({ gates: [g], stage: { key: 'staging', enteredAt: T0, trafficPercent: 0 } }));
    expect(none.verdict).toBe('inconclusive');
    expect(none.summary).toContain('sends no traffic to the canary');
    expect(none.evidence.canary).toBeNull();
  });

  it('reads only the current stage and the trailing window', () => {
    const g = gate({ key: 'e', name: 'Error rate above 1%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.01, severity: 'pause' });
    // 5% errors before the stage began and more than a minute ago; 0% in the last minute of this stage.
    const c = traffic([...repeat(12, 0.05), ...repeat(6, 0)], 1000, T0 - 60_000);
    const result = only(
      input({
        now: T0 + 120_000,
        stage: { key: 'canary', enteredAt: T0, trafficPercent: 5 },
        gates: [g],
        scalars: { requests: series(c.requests), errors: series(c.errors) },
      }),
    );
    expect(result.verdict).toBe('pass');
    expect(result.evidence.canary).toBe(0);
    expect(result.evidence.windowSeconds).toBe(60);
  });

  it('derives a percentile from latency buckets when no percentile gauge is sent', () => {
    const g = seedGate('vercel-staging-canary', 'response-time-above-500ms');
    const slow = [0.9, 0.6, 0.3, 0.2, 0.1, 0.02]; // 10% above 500 ms: P95 is above it
    const fast = [0.5, 0.2, 0.04, 0.01, 0, 0];
    const hist = (shares: number[]) => ({
      latency_ms: {
        bounds: LATENCY_BOUNDS,
        series: { canary: Array.from({ length: 6 }, (_, i) => histogramBin(T0 + i * BIN, 100, shares)), baseline: [] },
      },
    });
    const failing = only(input({ gates: [g], histograms: hist(slow) }));
    expect(failing.verdict).toBe('fail');
    expect(failing.evidence.canary).toBeCloseTo(500 + (500 * 5) / 8, 6); // interpolated inside (500, 1000]
    expect(failing.evidence.sampleSize).toBe(600);
    expect(only(input({ gates: [g], histograms: hist(fast) })).verdict).toBe('pass');
  });

  it('counts the bin still filling, so a breach shows as soon as its point arrives', () => {
    const g = seedGate('production-rollout', 'latency-p95-above-1s');
    const scalars = {
      requests: series([bin(T0, 100), bin(T0 + BIN, 100)]),
      latency_p95_ms: series([bin(T0, 400), bin(T0 + BIN, 5000)]),
    };
    const result = only(input({ now: T0 + BIN + 1000, gates: [g], scalars }));
    expect(result.verdict).toBe('fail');
  });
});
