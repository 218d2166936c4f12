import { describe, expect, it } from 'vitest';
import type { TGateSpec } from '@rampart/contracts';
import { defaultMinSample, judge } from '../../src/judgement/index.js';
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
    const within = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0.014), repeat(6, 0.01), 1000) }));
    expect(within.verdict).toBe('pass');
    expect(within.evidence.threshold).toBeCloseTo(0.015, 10);
    expect(within.evidence.baseline).toBeCloseTo(0.01, 10);
    expect(within.evidence.sampleSize).toBe(6000);
    expect(within.evidence.windowSeconds).toBe(60);
    const over = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0.03), repeat(6, 0.01), 1000) }));
    expect(over.verdict).toBe('warn'); // a warn-severity gate warns rather than fails
    expect(over.summary).toContain('above');
    expect(over.summary).toContain('beyond doubt');
  });

  it('allows 20% over a 5% baseline (1 point beats 0.5 points)', () => {
    const within = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0.058), repeat(6, 0.05), 1000) }));
    expect(within.evidence.threshold).toBeCloseTo(0.06, 10);
    expect(within.verdict).toBe('pass');
    const over = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0.07), repeat(6, 0.05), 1000) }));
    expect(over.verdict).toBe('warn');
  });

  it('breaches only with 99.5% confidence: just over the limit on 6,000 requests is inconclusive, never a pass', () => {
    // 1.6% against a 1.5% limit: 96 errors in 6,000 requests, well within chance of a true 1.5%.
    const close = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0.016), repeat(6, 0.01), 1000) }));
    expect(close.verdict).toBe('inconclusive');
    expect(close.evidence.canary).toBeCloseTo(0.016, 10);
    expect(close.summary).toContain('not yet conclusively');
    // 6.2% against 6%: the same.
    expect(only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0.062), repeat(6, 0.05), 1000) })).verdict).toBe('inconclusive');
  });

  it('is inconclusive, never a pass, below its derived 2,000 requests (10 errors expected at 0.5 points)', () => {
    const few = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0), repeat(6, 0.01), 30) }));
    expect(few.verdict).toBe('inconclusive');
    expect(few.evidence.sampleSize).toBe(180);
    expect(few.summary).toMatch(/Only 180 canary requests.*at least 2,000/);
    const enough = only(input({ gates: [errorGate], scalars: errorRates(repeat(6, 0), repeat(6, 0.01), 400) }));
    expect(enough.verdict).toBe('pass');
    expect(enough.evidence.sampleSize).toBe(2400);
    // A gate that names minRequests keeps it.
    const named = only(input({ gates: [{ ...errorGate, minRequests: 100 }], scalars: errorRates(repeat(6, 0), repeat(6, 0.01), 30) }));
    expect(named.verdict).toBe('pass');
  });

  it('is inconclusive without a baseline to compare with', () => {
    const c = traffic(repeat(6, 0.01), 1000);
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
  function at(now: number, rates: number[], lagSeconds = 0, requestsPerBin = 1000) {
    const c = traffic(rates, requestsPerBin, enteredAt);
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
  const rates = (fn: (i: number) => number, n = 90) => Array.from({ length: n }, (_, i) => fn(i));
  /** The first evaluation, every 10 s from the stage start, at which the gate fails. */
  function firstFail(evaluate: (now: number) => { verdict: string }, to = T0 + 890_000): number | null {
    for (let now = T0 + 60_000; now <= to; now += 10_000) if (evaluate(now).verdict === 'fail') return now;
    return null;
  }

  it('trips exactly when the breach has held for the whole 5 minutes, not a bin before', () => {
    // 10% from 2 minutes in: the first bad bin alone puts the trailing minute above 1%.
    const breach = rates((i) => (i >= 12 ? 0.1 : 0.002));
    const before = at(breachFrom + 299_000, breach);
    // Building towards the window: not a pass (nothing ramps past it), not yet a fail. Runs are timed on
    // the 10-second grid of evaluation instants.
    expect(before.verdict).toBe('inconclusive');
    expect(before.evidence.breachedForSeconds).toBe(290);
    expect(before.summary).toContain('short of the 5 min');
    expect(at(breachFrom + 290_000, breach).verdict).toBe('inconclusive');
    const exactly = at(breachFrom + 300_000, breach);
    expect(exactly.verdict).toBe('fail');
    expect(exactly.evidence.breachedForSeconds).toBe(300);
    expect(exactly.severity).toBe('rollback');
    expect(at(breachFrom + 420_000, breach).verdict).toBe('fail');
  });

  it('counts the run from when the trailing window goes over the line, as Prometheus `for:` does', () => {
    // 2% from 2 minutes in: the pooled window is above 1% once 4 of its 7 bins are bad, 30 s in.
    const breach = rates((i) => (i >= 12 ? 0.02 : 0.002));
    expect(at(breachFrom + 20_000, breach).verdict).toBe('pass');
    expect(at(breachFrom + 30_000, breach).evidence.breachedForSeconds).toBe(0);
    expect(at(breachFrom + 320_000, breach).verdict).toBe('inconclusive');
    expect(at(breachFrom + 330_000, breach).verdict).toBe('fail');
    expect(firstFail((now) => at(now, breach))).toBe(breachFrom + 330_000);
  });

  it('still trips on time when the pipeline delivers each window half a minute late', () => {
    // Instants are re-read with the data known now: the late bins still date the run from the breach.
    const breach = rates((i) => (i >= 12 ? 0.1 : 0.002));
    expect(at(breachFrom + 290_000, breach, 30).verdict).toBe('inconclusive');
    const late = at(breachFrom + 300_000, breach, 30);
    expect(late.verdict).toBe('fail');
    expect(late.evidence.breachedForSeconds).toBe(300);
  });

  it('never trips on a single spike', () => {
    const spike = rates((i) => (i === 20 ? 0.4 : 0.002));
    for (let now = T0 + 200_000; now <= T0 + 590_000; now += 10_000) expect(at(now, spike).verdict).not.toBe('fail');
    expect(at(T0 + 590_000, spike).verdict).toBe('pass');
  });

  it('never trips on a metric flapping around the line whose trailing minute dips back under within the span', () => {
    // 4 minutes at 1.2%, 1 minute at 0.8%, again and again: each dip puts the last minute under 1%.
    const flapping = rates((i) => (i % 30 >= 24 ? 0.008 : 0.012));
    for (let now = T0 + 60_000; now <= T0 + 890_000; now += 10_000) expect(at(now, flapping).verdict).not.toBe('fail');
    expect(at(T0 + 300_000, flapping).verdict).toBe('pass'); // in a dip: the run has ended
  });

  it('is not reset by a lone healthy bin inside a window that stays over the line', () => {
    // 4 minutes at 1.2%, 10 seconds at 0.8%: the trailing minute never goes under 1%.
    const flapping = rates((i) => (i % 25 === 24 ? 0.008 : 0.012));
    expect(at(T0 + 290_000, flapping).verdict).toBe('inconclusive');
    const tripped = at(T0 + 300_000, flapping);
    expect(tripped.verdict).toBe('fail');
    expect(tripped.evidence.breachedForSeconds).toBe(300);
  });

  it('keeps a run alive through sparse pushes: one point a minute covers the instants between', () => {
    // One point a minute, each carrying the minute's 6,000 requests; 2% from 2 minutes in.
    const pushes = (now: number) => {
      const points = Array.from({ length: 15 }, (_, k) => ({ t: T0 + k * 60_000, errors: k >= 2 ? 120 : 12 })).filter((p) => p.t <= now);
      return only(
        input({
          now,
          gates: [sustained],
          stage: { key: 'canary-10', enteredAt, trafficPercent: 10 },
          scalars: { requests: series(points.map((p) => bin(p.t, 6000))), errors: series(points.map((p) => bin(p.t, p.errors))) },
        }),
      );
    };
    expect(pushes(breachFrom + 170_000).evidence.breachedForSeconds).toBe(170); // instants between pushes still count
    expect(pushes(breachFrom + 290_000).verdict).toBe('inconclusive');
    expect(firstFail(pushes)).toBe(breachFrom + 300_000);
  });

  // Instants without data neither break nor extend a run: a breach seen for about 2 minutes, then silence,
  // never fails a 5-minute rule.
  it('does not count minutes without data towards the span (a 2-minute breach, then silence)', () => {
    const c = traffic(rates((i) => (i >= 12 ? 0.02 : 0.002), 24), 1000, enteredAt); // data stops 4 minutes in
    const gateAt = (now: number) => {
      const analysis = judge(input({ now, gates: [sustained], stage: { key: 'canary-10', enteredAt, trafficPercent: 10 }, scalars: { requests: series(c.requests), errors: series(c.errors) } }));
      expect(analysis.gates[0]!.key).toBe(sustained.key); // (the silent-canary net joins it after 3 minutes)
      return analysis.gates[0]!;
    };
    // The window was over 1% from 150 s to about 290 s: far short of 5 minutes of evidence.
    expect(gateAt(T0 + 280_000).verdict).toBe('inconclusive');
    expect(firstFail(gateAt)).toBeNull();
  });

  it('is inconclusive below its derived 1,000 requests (10 errors expected at 1%) over a window of up to 10 minutes', () => {
    const c = traffic(repeat(30, 0.5), 3, enteredAt);
    const few = only(
      input({ now: T0 + 300_000, gates: [sustained], scalars: { requests: series(c.requests), errors: series(c.errors) } }),
    );
    expect(few.verdict).toBe('inconclusive');
    expect(few.summary).toMatch(/Only 90 canary requests.*at least 1,000/);
  });
});

describe('baseline_ratio: seed 002, "response time exceeds 2x baseline"', () => {
  const ratio = seedGate('vercel-staging-canary', 'response-time-2x-baseline');
  const withLatency = (canary: number | number[], baseline: number) =>
    only(
      input({
        gates: [{ ...ratio, stages: undefined }],
        scalars: {
          requests: series(bins(repeat(6, 50)), bins(repeat(6, 500))),
          latency_p95_ms: series(bins(Array.isArray(canary) ? canary : repeat(6, canary)), bins(repeat(6, baseline))),
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

  it('fails a percentile gauge only when its mean is over the limit beyond its spread across points', () => {
    // The same 610 ms on average, but from points as far apart as 400 and 820 ms: not conclusive.
    const noisy = withLatency([400, 820, 400, 820, 400, 820], 300);
    expect(noisy.evidence.canary).toBe(610);
    expect(noisy.verdict).toBe('inconclusive');
    expect(noisy.summary).toContain('not yet conclusively');
    // Clearly over, spread and all.
    expect(withLatency([800, 900, 800, 900, 800, 900], 300).verdict).toBe('fail');
  });
});

describe('threshold', () => {
  it('judges "below" thresholds (seed 004: login success above 95%) on at least 3 points', () => {
    const login = { ...seedGate('valine-canary', 'login-success-above-95pct'), stages: undefined };
    expect(only(input({ gates: [login], scalars: { login_success_rate: series(bins([0.97, 0.96, 0.97])) } })).verdict).toBe('pass');
    expect(only(input({ gates: [login], scalars: { login_success_rate: series(bins([0.9, 0.93, 0.91])) } })).verdict).toBe('warn');
    const two = only(input({ gates: [login], scalars: { login_success_rate: series(bins([0.9, 0.93])) } }));
    expect(two.verdict).toBe('inconclusive');
    expect(two.summary).toMatch(/Only 2 canary points.*at least 3/);
  });

  it("leaves to the canary only what the baseline does not share: a storm hitting both is not the canary's doing", () => {
    const g = seedGate('vercel-staging-canary', 'error-rate-above-5pct');
    const judged = (baselineDuringStorm: number) => {
      // Ten calm minutes, then a minute in which the canary runs at 8% errors.
      const canary = traffic([...repeat(60, 0.005), ...repeat(6, 0.08)], 200);
      const baseline = traffic([...repeat(60, 0.005), ...repeat(6, baselineDuringStorm)], 2000);
      const scalars = { requests: series(canary.requests, baseline.requests), errors: series(canary.errors, baseline.errors) };
      return only(input({ now: T0 + 66 * BIN, gates: [{ ...g, stages: undefined }], scalars }));
    };
    // The baseline calm: the canary's own breach.
    expect(judged(0.005).verdict).toBe('fail');
    // The baseline past the line too.
    const both = judged(0.06);
    expect(both.verdict).toBe('inconclusive');
    expect(both.summary).toContain("not the canary's doing");
    // The baseline short of the line but six times its usual rate: the same storm, hitting it less hard.
    const storm = judged(0.03);
    expect(storm.verdict).toBe('inconclusive');
    expect(storm.summary).toContain("not the canary's doing");
  });

  it("counts a rolling-average gauge's overlapping points as fewer independent ones", () => {
    const login = { ...seedGate('valine-canary', 'login-success-above-95pct'), stages: undefined };
    // Per-bin login success shares from a few logins each (0.90 to 1.00), sent as the pipeline computes them:
    // the mean over the trailing minute (6 bins), every 10 s. A fixed linear congruential sequence, so the
    // data are the same on every run.
    let state = 7;
    const draw = () => ((state = (state * 1103515245 + 12345) % 2 ** 31), state / 2 ** 31);
    const perBin = Array.from({ length: 90 }, () => 0.9 + 0.1 * draw());
    // The last minute's logins went worse by chance: a rolling value just under the line, six times over.
    perBin.splice(78, 12, ...repeat(12, 0.935));
    const rolling = (shares: number[]) => shares.map((_, i) => shares.slice(Math.max(0, i - 5), i + 1).reduce((a, b) => a + b, 0) / Math.min(6, i + 1));
    const judgedAt = (shares: number[]) =>
      only(input({ now: T0 + shares.length * BIN, gates: [login], scalars: { login_success_rate: series(bins(rolling(shares))) } }));
    const chance = judgedAt(perBin);
    expect(chance.evidence.canary!).toBeLessThan(0.95);
    expect(chance.verdict).toBe('inconclusive');
    expect(chance.summary).toContain('not yet conclusively');
    // A real fall is still a breach within the minute.
    const fallen = judgedAt([...perBin.slice(0, 78), ...repeat(12, 0.7)]);
    expect(fallen.verdict).toBe('warn');
  });

  it('judges an availability gauge sent with request counts as a share of those requests (seed 004: below 99.9%)', () => {
    const p1 = { ...seedGate('valine-canary', 'p1-availability-below-99-9pct'), stages: undefined };
    const judged = (availability: number, requestsPerBin: number) =>
      only(
        input({
          gates: [p1],
          scalars: { availability: series(bins(repeat(6, availability))), requests: series(bins(repeat(6, requestsPerBin))) },
        }),
      );
    // A rolling 5-minute availability of 99.87% is two failures in 1,500 requests: no confident breach from
    // the 300 requests a 5 req/s canary serves in the window, however steady the points are.
    const noisy = judged(0.9987, 50);
    expect(noisy.verdict).toBe('inconclusive');
    expect(noisy.summary).toContain('not yet conclusively');
    // 99% on 6,000 requests: 60 failures where the line allows 6.
    expect(judged(0.99, 1000).verdict).toBe('fail');
    // Without request counts the points' spread decides, as for any gauge.
    const bare = only(input({ gates: [p1], scalars: { availability: series(bins([0.99, 0.991, 0.99])) } }));
    expect(bare.verdict).toBe('fail');
  });

  it('derives the minimum sample for an error-rate threshold: 10 errors expected at the limit', () => {
    const g = gate({ key: 'e', name: 'Error rate above 2%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.02, severity: 'rollback' });
    expect(defaultMinSample(g as Extract<TGateSpec, { kind: 'threshold' }>)).toBe(500);
    const c = traffic(repeat(6, 0), 80); // 480 requests, no error: not a pass
    const few = only(input({ gates: [g], scalars: { requests: series(c.requests), errors: series(c.errors) } }));
    expect(few.verdict).toBe('inconclusive');
    expect(few.summary).toContain('at least 500');
    const d = traffic(repeat(6, 0), 90); // 540
    expect(only(input({ gates: [g], scalars: { requests: series(d.requests), errors: series(d.errors) } })).verdict).toBe('pass');
  });

  it('fails only when the rate is past the limit with 99.5% confidence', () => {
    const g = gate({ key: 'e', name: 'Error rate above 2%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.02, severity: 'rollback' });
    const judged = (requestsPerBin: number) => {
      const c = traffic(repeat(6, 0.03), requestsPerBin);
      return only(input({ gates: [g], scalars: { requests: series(c.requests), errors: series(c.errors) } }));
    };
    // 3% on 600 requests (18 errors): the Wilson lower bound is under 2%.
    const unsure = judged(100);
    expect(unsure.verdict).toBe('inconclusive');
    expect(unsure.evidence.canary).toBeCloseTo(0.03, 10);
    expect(unsure.summary).toContain('not yet conclusively');
    // 3% on 6,000 requests: beyond doubt.
    const sure = judged(1000);
    expect(sure.verdict).toBe('fail');
    expect(sure.summary).toContain('beyond doubt');
  });

  it('reaches back, up to 10 minutes, until its window holds the minimum sample', () => {
    const g = gate({ key: 'e', name: 'Error rate above 2%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.02, severity: 'rollback' });
    const at = (requestsPerBin: number, binsCount: number) => {
      const c = traffic(repeat(binsCount, 0), requestsPerBin);
      return only(input({ now: T0 + binsCount * BIN, gates: [g], scalars: { requests: series(c.requests), errors: series(c.errors) } }));
    };
    const reaching = at(20, 60); // 500 requests take 25 bins
    expect(reaching.verdict).toBe('pass');
    expect(reaching.evidence.sampleSize).toBe(500);
    expect(reaching.evidence.windowSeconds).toBe(250);
    const tooFew = at(5, 90); // 10 minutes hold 300
    expect(tooFew.verdict).toBe('inconclusive');
    expect(tooFew.evidence.windowSeconds).toBeLessThanOrEqual(600);
    expect(tooFew.evidence.sampleSize).toBeGreaterThanOrEqual(290);
    expect(tooFew.evidence.sampleSize).toBeLessThanOrEqual(300);
    expect(tooFew.summary).toMatch(/Only 29\d canary requests in the last 9.\d+ min; at least 500/);
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
    expect(result.evidence.sampleSize).toBe(6000);
  });

  it('derives a percentile from latency buckets when no percentile gauge is sent', () => {
    const g = seedGate('vercel-staging-canary', 'response-time-above-500ms');
    const slow = [0.9, 0.6, 0.3, 0.2, 0.1, 0.02]; // 10% above 500 ms: P95 is above it
    const fast = [0.5, 0.2, 0.04, 0.01, 0, 0];
    const hist = (shares: number[], perBin = 100) => ({
      latency_ms: {
        bounds: LATENCY_BOUNDS,
        series: { canary: Array.from({ length: 6 }, (_, i) => histogramBin(T0 + i * BIN, perBin, shares)), baseline: [] },
      },
    });
    const failing = only(input({ gates: [g], histograms: hist(slow) }));
    expect(failing.verdict).toBe('fail');
    expect(failing.evidence.canary).toBeCloseTo(500 + (500 * 5) / 8, 6); // interpolated inside (500, 1000]
    expect(failing.evidence.sampleSize).toBe(600);
    expect(only(input({ gates: [g], histograms: hist(fast) })).verdict).toBe('pass');
    // Fewer than 200 requests (10 expected above a P95): inconclusive, however slow.
    const few = only(input({ gates: [g], histograms: hist(slow, 30) }));
    expect(few.verdict).toBe('inconclusive');
    expect(few.summary).toMatch(/Only 180 canary requests.*at least 200/);
  });

  it('counts the bin still filling, so a breach shows as soon as its point arrives', () => {
    const g = gate({ key: 'e', name: 'Error rate above 1%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.01, severity: 'pause' });
    // Five complete bins at 0.5%, then the bin that began 5 s ago already reports 20% errors.
    const c = traffic([...repeat(5, 0.005), 0.2], 1000);
    const now = T0 + 5 * BIN + 5000;
    const judged = (n: number) =>
      only(input({ now, gates: [g], scalars: { requests: series(c.requests.slice(0, n)), errors: series(c.errors.slice(0, n)) } }));
    expect(judged(5).verdict).toBe('pass');
    const result = judged(6);
    expect(result.verdict).toBe('fail');
    expect(result.evidence.sampleSize).toBe(6000);
  });
});
