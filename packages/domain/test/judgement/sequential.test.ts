import { describe, expect, it } from 'vitest';
import { ConditionalBinomialEProcess, judge } from '../../src/judgement/index.js';
import type { TBin, THistogramBin, TJudgementInput } from '../../src/judgement/index.js';
import { Random } from '../../../../tools/simulate/random.js';
import { BIN, LATENCY_BOUNDS, T0, bin, gate, input, seedGate, series } from './fixtures.js';

const errorGate = gate({ key: 'seq', name: 'Sequential error rate', kind: 'sequential', metric: 'error_rate', alpha: 0.05, severity: 'rollback' });
const latencyGate = gate({ key: 'seq-latency', name: 'Sequential latency', kind: 'sequential', metric: 'latency', alpha: 0.05, severity: 'pause' });

/** A canary's errors given the bin's total, drawn exactly: each of n events is the canary's with probability p. */
function binomial(rng: Random, n: number, p: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) x++;
  return x;
}

describe('the e-process (conditional binomial, Lindon & Malek 2022)', () => {
  it('stays small under the null: the canary no worse', () => {
    let crossed = 0;
    const finals: number[] = [];
    for (let run = 0; run < 200; run++) {
      const rng = new Random(1000 + run);
      const e = new ConditionalBinomialEProcess();
      let max = 0;
      for (let t = 0; t < 300; t++) {
        const n = rng.poisson(100); // the bin's total errors
        const x = binomial(rng, n, 0.01); // the canary's, at its 1% share of requests
        e.update(x, 100, n - x, 9900);
        max = Math.max(max, e.eValue());
      }
      if (max >= 20) crossed++;
      finals.push(e.eValue());
    }
    // Ville: P(sup E ≥ 20) ≤ 5%; the e-values themselves sit far below 1 by the end.
    expect(crossed / 200).toBeLessThanOrEqual(0.05);
    finals.sort((a, b) => a - b);
    expect(finals[100]!).toBeLessThan(0.1);
  });

  it('stays small when the canary is better than the baseline (composite null)', () => {
    const rng = new Random(7);
    const e = new ConditionalBinomialEProcess();
    for (let t = 0; t < 300; t++) {
      const n = rng.poisson(100);
      const x = binomial(rng, n, 0.005);
      e.update(x, 100, n - x, 9900);
    }
    expect(e.eValue()).toBeLessThan(1e-3);
  });

  it('grows without bound under a doubled error rate', () => {
    const rng = new Random(8);
    const e = new ConditionalBinomialEProcess();
    const p = (2 * 0.01) / (2 * 0.01 + 0.99); // the canary's share of errors when its rate doubles
    const values: number[] = [];
    for (let t = 0; t < 120; t++) {
      const n = rng.poisson(101);
      const x = binomial(rng, n, p);
      e.update(x, 100, n - x, 9900);
      values.push(e.eValue());
    }
    expect(values[29]!).toBeGreaterThan(1); // after 5 minutes
    expect(values[119]!).toBeGreaterThan(1e4); // after 20 minutes
    expect(e.canaryTrials).toBe(12_000);
  });

  it('skips bins where a cohort has no requests and bins without events', () => {
    const e = new ConditionalBinomialEProcess();
    e.update(3, 0, 10, 1000);
    e.update(0, 100, 5, 0);
    e.update(0, 100, 0, 1000);
    expect(e.eValue()).toBe(1);
    expect(e.bins).toBe(0);
  });
});

/** Bins at a fixed traffic split; the canary's errors at `canaryRate`, the baseline's at 1%. */
function errorInput(opts: {
  bins: number;
  rps: number;
  canaryShare: number;
  canaryRate: number;
  seed: number;
  gates?: TJudgementInput['gates'];
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
    errors.canary.push(bin(t, binomial(rng, c, opts.canaryRate)));
    errors.baseline.push(bin(t, binomial(rng, b, 0.01)));
  }
  return input({
    now: T0 + opts.bins * BIN,
    stage: { key: 'canary', enteredAt: T0, trafficPercent: opts.canaryShare * 100 },
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
    const two = judge(errorInput({ bins: 6, rps: 1000, canaryShare: 0.05, canaryRate: 0.01, seed: 4, gates: [errorGate, latencyGate] }));
    expect(two.gates.map((g) => g.evidence.eValueToFail)).toEqual([40, 40]);
    const seed = seedGate('production-rollout', 'error-rate-no-increase'); // alpha 0.01
    const one = judge(errorInput({ bins: 6, rps: 1000, canaryShare: 0.05, canaryRate: 0.01, seed: 4, gates: [seed] }));
    expect(one.gates[0]!.evidence.eValueToFail).toBeCloseTo(100, 9);
    expect(one.gates[0]!.severity).toBe('warn');
  });

  it('accumulates evidence across stages from the release start and ignores the bin still filling', () => {
    const data = errorInput({ bins: 60, rps: 1000, canaryShare: 0.05, canaryRate: 0.02, seed: 5 });
    const later = { ...data, stage: { key: 'ramp', enteredAt: data.now - 5_000, trafficPercent: 25 } };
    expect(judge(later).gates[0]!.verdict).toBe('fail');
    const partial = { ...data, now: data.now - 5_000 }; // the last bin is still filling: it does not count
    const withLast = judge(data).gates[0]!.evidence.sampleSize;
    expect(judge(partial).gates[0]!.evidence.sampleSize).toBe(withLast - data.scalars['requests']!.canary.at(-1)!.sum);
  });

  it('stays failed once the e-value has crossed, as the rejection happened then', () => {
    const bad = errorInput({ bins: 60, rps: 1000, canaryShare: 0.05, canaryRate: 0.05, seed: 6 });
    const good = errorInput({ bins: 360, rps: 1000, canaryShare: 0.05, canaryRate: 0.005, seed: 7 });
    const shift = (b: TBin) => ({ ...b, t: b.t + 60 * BIN });
    const joined = {
      ...bad,
      now: bad.now + 360 * BIN,
      scalars: {
        requests: series([...bad.scalars['requests']!.canary, ...good.scalars['requests']!.canary.map(shift)], [...bad.scalars['requests']!.baseline, ...good.scalars['requests']!.baseline.map(shift)]),
        errors: series([...bad.scalars['errors']!.canary, ...good.scalars['errors']!.canary.map(shift)], [...bad.scalars['errors']!.baseline, ...good.scalars['errors']!.baseline.map(shift)]),
      },
    };
    const result = judge(joined).gates[0]!;
    expect(result.verdict).toBe('fail');
    expect(result.summary).toMatch(/reached 20 .* ago/);
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
