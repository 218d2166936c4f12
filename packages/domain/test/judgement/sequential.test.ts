import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE, SETTLE_MS, judge, judgeWithCarry, logAlarmLevel, logStatistic, newDetector, observe } from '../../src/judgement/index.js';
import type { TDetectorState, TJudgementCarry } from '../../src/judgement/index.js';
import type { TBin, THistogramBin, TJudgementInput } from '../../src/judgement/index.js';
import { Random } from '../../../traffic/src/random.js';
import { BIN, LATENCY_BOUNDS, T0, bin, gate, input, seedGate } from './fixtures.js';

const errorGate = gate({ key: 'seq', name: 'Sequential error rate', kind: 'sequential', metric: 'error_rate', alpha: 0.05, severity: 'rollback' });
const latencyGate = gate({ key: 'seq-latency', name: 'Sequential latency', kind: 'sequential', metric: 'latency', alpha: 0.05, severity: 'pause' });

/** A canary's errors given the bin's total, drawn exactly: each of n events is the canary's with probability p. */
function binomial(rng: Random, n: number, p: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) x++;
  return x;
}

/** A detector fed `bins` 10-second bins; the canary's share of requests 1%, its relative risk `theta`. */
function runDetector(rng: Random, bins: number, theta: (i: number) => number, onBin?: (d: TDetectorState, i: number) => void): TDetectorState {
  const d = newDetector(T0);
  for (let i = 0; i < bins; i++) {
    const n = rng.poisson(100 * (0.99 + 0.01 * theta(i)));
    const p = (0.01 * theta(i)) / (0.01 * theta(i) + 0.99);
    const x = binomial(rng, n, p);
    observe(d, DEFAULT_TOLERANCE, T0 + (i + 1) * BIN, x, 100, n - x, 9900);
    onBin?.(d, i);
  }
  return d;
}

function firstAlarm(rng: Random, bins: number, alpha: number, theta: (i: number) => number): number | null {
  let at: number | null = null;
  runDetector(rng, bins, theta, (d, i) => {
    if (at === null && logStatistic(d) >= logAlarmLevel(alpha)) at = i;
  });
  return at;
}

describe('the change detector (conditional binomial e-detector)', () => {
  it('raises at most α false alarms over its horizon under the null, at the margin itself', () => {
    let alarms = 0;
    const runs = 200;
    // Four hours of 10-second bins with the canary exactly at the null's edge (1.25 times the baseline).
    for (let run = 0; run < runs; run++) if (firstAlarm(new Random(1000 + run), 1440, 0.05, () => 1 + DEFAULT_TOLERANCE) !== null) alarms++;
    expect(alarms / runs).toBeLessThanOrEqual(0.05);
  });

  it('never alarms on a harmless 1.1 times the baseline', () => {
    let alarms = 0;
    for (let run = 0; run < 100; run++) if (firstAlarm(new Random(5000 + run), 720, 0.025, () => 1.1) !== null) alarms++;
    expect(alarms).toBeLessThanOrEqual(1);
  });

  it('catches a doubled error rate, and as fast after a healthy hour as at the start', () => {
    const early: number[] = [];
    const late: number[] = [];
    for (let run = 0; run < 40; run++) {
      early.push(firstAlarm(new Random(9000 + run), 720, 0.025, () => 2) ?? 720);
      late.push((firstAlarm(new Random(9500 + run), 1080, 0.025, (i) => (i < 360 ? 1 : 2)) ?? 1080) - 360);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
    expect(median(early)).toBeLessThan(60); // 10 minutes of 10-second bins with 1 error a second in all
    expect(median(late)).toBeLessThanOrEqual(1.5 * median(early));
  });

  it('lets no single bin decide: one burst of errors routed to the canary does not alarm', () => {
    const d = newDetector(T0);
    observe(d, DEFAULT_TOLERANCE, T0 + BIN, 500, 100, 10, 9900);
    expect(logStatistic(d)).toBeLessThan(logAlarmLevel(0.05));
  });

  it('skips bins where a cohort has no requests', () => {
    const d = newDetector(T0);
    observe(d, DEFAULT_TOLERANCE, T0 + BIN, 3, 0, 10, 1000);
    observe(d, DEFAULT_TOLERANCE, T0 + 2 * BIN, 0, 100, 5, 0);
    expect(logStatistic(d)).toBe(0);
    expect(d.canaryTrials).toBe(0);
  });
});

/** Bins at a fixed traffic split; the canary's errors at `canaryRate` (or `canaryRateAt(bin)`), the baseline's at 1%. */
function errorInput(opts: {
  bins: number;
  rps: number;
  canaryShare: number;
  canaryRate: number;
  canaryRateAt?: (i: number) => number;
  seed: number;
  gates?: TJudgementInput['gates'];
  stage?: TJudgementInput['stage'];
}): TJudgementInput {
  const rng = new Random(opts.seed);
  const requests = { canary: [] as TBin[], baseline: [] as TBin[] };
  const errors = { canary: [] as TBin[], baseline: [] as TBin[] };
  for (let i = 0; i < opts.bins; i++) {
    const t = T0 + i * BIN;
    const c = rng.poisson(opts.rps * 10 * opts.canaryShare);
    const b = rng.poisson(opts.rps * 10 * (1 - opts.canaryShare));
    requests.canary.push(bin(t, c));
    requests.baseline.push(bin(t, b));
    errors.canary.push(bin(t, binomial(rng, c, opts.canaryRateAt?.(i) ?? opts.canaryRate)));
    errors.baseline.push(bin(t, binomial(rng, b, 0.01)));
  }
  return input({
    now: T0 + opts.bins * BIN,
    stage: opts.stage ?? { key: 'canary', enteredAt: T0, trafficPercent: opts.canaryShare * 100 },
    gates: opts.gates ?? [errorGate],
    scalars: { requests, errors },
  });
}

describe('the sequential gate', () => {
  it('passes a healthy canary with enough evidence', () => {
    const result = judge(errorInput({ bins: 60, rps: 1000, canaryShare: 0.05, canaryRate: 0.01, seed: 1 })).gates[0]!;
    expect(result.verdict).toBe('pass');
    expect(result.evidence.eValue!).toBeLessThan(result.evidence.eValueToFail!);
    expect(result.evidence.sampleSize).toBeGreaterThan(25_000);
    expect(result.summary).toContain('No evidence');
  });

  it('fails a canary with a doubled error rate', () => {
    const result = judge(errorInput({ bins: 60, rps: 1000, canaryShare: 0.05, canaryRate: 0.02, seed: 2 })).gates[0]!;
    expect(result.verdict).toBe('fail');
    expect(result.evidence.eValue!).toBeGreaterThanOrEqual(result.evidence.eValueToFail!);
    expect(result.evidence.canary!).toBeGreaterThan(result.evidence.baseline!);
  });

  it('is inconclusive, never a pass, on too little evidence', () => {
    // 10 req/s at 1% for 5 minutes: 300 canary requests, about 3 canary errors expected.
    const result = judge(errorInput({ bins: 30, rps: 10, canaryShare: 0.01, canaryRate: 0.01, seed: 3 })).gates[0]!;
    expect(result.verdict).toBe('inconclusive');
    expect(result.summary).toContain('Too little evidence');
  });

  it('is inconclusive at a 0% stage with no canary data', () => {
    const result = judge(input({ stage: { key: 'staging', enteredAt: T0, trafficPercent: 0 }, gates: [errorGate] })).gates[0]!;
    expect(result.verdict).toBe('inconclusive');
    expect(result.evidence.eValue).toBe(1);
  });

  it("caps each gate's alpha so the release's sequential gates share the family-wise level", () => {
    const toFail = (gates: TJudgementInput['gates']) =>
      judge(errorInput({ bins: 6, rps: 1000, canaryShare: 0.05, canaryRate: 0.01, seed: 4, gates })).gates.map((g) => g.evidence.eValueToFail!);
    // The alarm level is inversely proportional to α.
    const [alone] = toFail([errorGate]); // alpha 0.05, the whole family
    expect(alone).toBeCloseTo(Math.exp(logAlarmLevel(0.05)), 6);
    // Two gates at alpha 0.05 in a family of 0.05: each is held to 0.025, twice the evidence.
    const two = toFail([errorGate, latencyGate]);
    expect(two[0]).toBeCloseTo(2 * alone!, 6);
    expect(two[1]).toBeCloseTo(2 * alone!, 6);
    // A gate asking for less than its share keeps its own alpha.
    const seed = seedGate('production-rollout', 'error-rate-no-increase'); // alpha 0.01
    const [own] = toFail([seed]);
    expect(own).toBeCloseTo(5 * alone!, 6);
    expect(judge(errorInput({ bins: 6, rps: 1000, canaryShare: 0.05, canaryRate: 0.01, seed: 4, gates: [seed] })).gates[0]!.severity).toBe('warn');
  });

  it('restarts its evidence at every stage: an earlier stage neither fails nor vouches for the next', () => {
    const data = errorInput({ bins: 60, rps: 1000, canaryShare: 0.05, canaryRate: 0.02, seed: 5 });
    expect(judge(data).gates[0]!.verdict).toBe('fail');
    // The next stage began 5 s ago: not one complete bin of it, so no evidence either way.
    const justEntered = judge({ ...data, stage: { key: 'ramp', enteredAt: data.now - 5_000, trafficPercent: 25, initialDelaySeconds: 0 } }).gates[0]!;
    expect(justEntered.verdict).toBe('inconclusive');
    expect(justEntered.evidence.sampleSize).toBe(0);
    expect(justEntered.summary).toContain('Too little evidence this stage');
    // A regression in one stage, a healthy canary in the next: the next stage passes on its own evidence.
    const fixed = errorInput({ bins: 120, rps: 1000, canaryShare: 0.05, canaryRate: 0.01, canaryRateAt: (i) => (i < 60 ? 0.03 : 0.01), seed: 6 });
    expect(judge(fixed).gates[0]!.verdict).toBe('fail');
    const nextStage = judge({ ...fixed, stage: { key: 'ramp', enteredAt: T0 + 60 * BIN, trafficPercent: 5, initialDelaySeconds: 0 } }).gates[0]!;
    expect(nextStage.verdict).toBe('pass');
    expect(nextStage.evidence.sampleSize).toBe(fixed.scalars['requests']!.canary.slice(60).reduce((n, b) => n + b.sum, 0));
  });

  it('ignores the bin still filling', () => {
    const data = errorInput({ bins: 60, rps: 1000, canaryShare: 0.05, canaryRate: 0.01, seed: 5 });
    const partial = { ...data, now: data.now - 5_000 }; // the last bin is still filling: it does not count
    const withLast = judge(data).gates[0]!.evidence.sampleSize;
    expect(withLast).toBe(data.scalars['requests']!.canary.reduce((n, b) => n + b.sum, 0));
    expect(judge(partial).gates[0]!.evidence.sampleSize).toBe(withLast - data.scalars['requests']!.canary.at(-1)!.sum);
  });

  it("starts after the stage's initial delay, so a warm-up is not held against the canary", () => {
    // 5% errors for the first 2 minutes (cold caches), then as good as the baseline.
    const opts = { bins: 24, rps: 1000, canaryShare: 0.05, canaryRate: 0.01, canaryRateAt: (i: number) => (i < 12 ? 0.05 : 0.01), seed: 8 };
    const judged = (initialDelaySeconds: number | undefined, bins = 24) => {
      const i = errorInput({ ...opts, bins });
      const stage = { key: 'canary', enteredAt: T0, trafficPercent: 5 };
      return judge({ ...i, stage: initialDelaySeconds === undefined ? stage : { ...stage, initialDelaySeconds } }).gates[0]!;
    };
    expect(judged(0).verdict).toBe('fail'); // judged from the start, the warm-up fails it
    const warmingUp = judged(undefined, 11); // the default delay: 2 minutes
    expect(warmingUp.verdict).toBe('inconclusive');
    expect(warmingUp.summary).toContain('Warming up');
    const afterWarmUp = judged(undefined);
    expect(afterWarmUp.verdict).toBe('pass');
    expect(afterWarmUp.evidence.canary!).toBeLessThan(0.02); // only the bins after the delay
    // A gate may set its own delay.
    const patient = { ...errorGate, initialDelaySeconds: 120 };
    expect(judge({ ...errorInput({ ...opts, gates: [patient] }), stage: { key: 'canary', enteredAt: T0, trafficPercent: 5, initialDelaySeconds: 0 } }).gates[0]!.verdict).toBe('pass');
  });

  it('fails while its statistic is above the alarm level and for a minute after, then recovers', () => {
    // 10 minutes at 5% against the baseline's 1%, then an hour at 0.5%.
    const data = errorInput({ bins: 420, rps: 1000, canaryShare: 0.05, canaryRate: 0.005, canaryRateAt: (i) => (i < 60 ? 0.05 : 0.005), seed: 7 });
    let carry: TJudgementCarry | null = null;
    const timeline: { now: number; verdict: string; above: boolean; summary: string }[] = [];
    for (let k = 1; k <= 420; k++) {
      const step = judgeWithCarry({ ...data, now: T0 + k * BIN }, carry);
      carry = step.carry;
      const g = step.analysis.gates[0]!;
      timeline.push({ now: T0 + k * BIN, verdict: g.verdict, above: g.evidence.eValue! >= g.evidence.eValueToFail!, summary: g.summary });
    }
    const at = (seconds: number) => timeline[seconds / 10 - 1]!;
    expect(at(600).verdict).toBe('fail');
    expect(at(600).summary).toMatch(/evidence reached \S+ \(α = 5%\) [\d.]+ (s|min) ago and is e\^\d+ now/);
    for (const e of timeline) if (e.above) expect(e.verdict).toBe('fail');
    const lastAbove = timeline.findLastIndex((e) => e.above);
    expect(lastAbove).toBeGreaterThan(60); // the alarm outlives the regression for a while...
    expect(timeline[lastAbove + 1]!.verdict).toBe('fail'); // ...the gate holds for a minute after...
    expect(timeline[lastAbove + 6]!.verdict).toBe('fail');
    expect(timeline.slice(lastAbove + 8).every((e) => e.verdict === 'pass')).toBe(true); // ...then passes
  });

  it('gives the same verdicts with a carried state as from scratch, folding only the new bins', () => {
    const data = errorInput({ bins: 180, rps: 1000, canaryShare: 0.05, canaryRate: 0.01, canaryRateAt: (i) => (i < 90 ? 0.01 : 0.02), seed: 9 });
    let carry: TJudgementCarry | null = null;
    const verdicts = new Set<string>();
    for (let k = 1; k <= 180; k++) {
      const at = { ...data, now: T0 + k * BIN + 5_000 }; // mid-bin: the filling bin is left for the next call
      const step = judgeWithCarry(at, carry);
      expect(step.analysis).toEqual(judge(at));
      verdicts.add(step.analysis.verdict);
      // The carry is plain JSON: it can be stored between evaluations.
      carry = JSON.parse(JSON.stringify(step.carry)) as TJudgementCarry;
      // Bins older than SETTLE_MS are final; younger ones are folded again at the next call.
      expect(carry.sequential['seq']!.nextBin).toBe(Math.max(T0, T0 + k * BIN - SETTLE_MS));
    }
    expect([...verdicts].sort()).toEqual(['fail', 'inconclusive', 'pass']);
  });

  // A bin stays open for SETTLE_MS after it ends, so a point pushed a little late (a scrape read 15 s after
  // the fact, a pipeline's delay) still counts.
  it('gives the same verdicts with a carried state when points arrive 5 s after their bin ends', () => {
    const data = errorInput({ bins: 120, rps: 1000, canaryShare: 0.05, canaryRate: 0.03, seed: 11 });
    const delivered = (now: number): TJudgementInput => {
      const arrived = (b: TBin) => b.t + BIN + 5_000 <= now;
      const cut = (s: { canary: TBin[]; baseline: TBin[] }) => ({ canary: s.canary.filter(arrived), baseline: s.baseline.filter(arrived) });
      return { ...data, now, scalars: { requests: cut(data.scalars['requests']!), errors: cut(data.scalars['errors']!) } };
    };
    let carry: TJudgementCarry | null = null;
    let last: TJudgementInput | null = null;
    let carried = null;
    for (let k = 1; k <= 120; k++) {
      last = delivered(T0 + k * BIN + 3_000);
      const step = judgeWithCarry(last, carry);
      carry = step.carry;
      carried = step.analysis;
    }
    expect(judge(last!).verdict).toBe('fail');
    expect(carried).toEqual(judge(last!));
  });

  it("does not carry an earlier stage's alarm into the next stage", () => {
    const data = errorInput({ bins: 60, rps: 1000, canaryShare: 0.05, canaryRate: 0.03, seed: 10 });
    const failed = judgeWithCarry(data, null);
    expect(failed.analysis.verdict).toBe('fail');
    // The next stage, just entered: the carried state does not keep the alarm.
    const next = { ...data, now: data.now + BIN, stage: { key: 'ramp', enteredAt: data.now, trafficPercent: 25, initialDelaySeconds: 0 } };
    const resumed = judgeWithCarry(next, failed.carry).analysis.gates[0]!;
    expect(resumed.verdict).toBe('inconclusive');
    expect(resumed.evidence.eValue!).toBeLessThanOrEqual(1);
    expect(resumed.evidence.sampleSize).toBe(0);
  });
});

describe('the sequential latency gate', () => {
  /** Histogram bins where `slowShare(cohort, i)` of requests are above 300 ms (bounds 50..1000). */
  function latencyInput(binsCount: number, canarySlow: number, seed: number): TJudgementInput {
    const rng = new Random(seed);
    const make = (n: number, slow: number): number[] => {
      const above300 = binomial(rng, n, slow);
      const above500 = binomial(rng, above300, 0.3);
      const below100 = binomial(rng, n - above300, 0.5);
      // cumulative counts at 50, 100, 200, 300, 500, 1000, +Inf
      const c100 = below100;
      const c300 = n - above300;
      return [Math.floor(c100 / 2), c100, Math.floor((c100 + c300) / 2), c300, n - above500, n, n];
    };
    const canary: THistogramBin[] = [];
    const baseline: THistogramBin[] = [];
    for (let i = 0; i < binsCount; i++) {
      const t = T0 + i * BIN;
      canary.push({ t, counts: make(rng.poisson(100), canarySlow) });
      baseline.push({ t, counts: make(rng.poisson(1900), 0.05) });
    }
    return input({
      now: T0 + binsCount * BIN,
      gates: [latencyGate],
      histograms: { latency_ms: { bounds: LATENCY_BOUNDS, series: { canary, baseline } } },
    });
  }

  it('is inconclusive until the baseline has calibrated the bound', () => {
    const result = judge({ ...latencyInput(1, 0.05, 1) }).gates[0]!;
    expect(result.verdict).toBe('inconclusive');
    expect(result.summary).toMatch(/Choosing the latency bound|Too little evidence/);
  });

  it('compares the share of requests above the bound nearest the baseline P95', () => {
    const healthy = judge(latencyInput(60, 0.05, 2)).gates[0]!;
    expect(healthy.verdict).toBe('pass');
    expect(healthy.summary).toContain('slower than 300 ms');
    const slower = judge(latencyInput(60, 0.1, 3)).gates[0]!;
    expect(slower.verdict).toBe('fail');
    expect(slower.evidence.canary!).toBeGreaterThan(0.08);
  });

  it('says a latency histogram is needed when only percentiles are sent', () => {
    const result = judge(input({ gates: [latencyGate] })).gates[0]!;
    expect(result.verdict).toBe('inconclusive');
    expect(result.summary).toContain('histogram');
  });
});
