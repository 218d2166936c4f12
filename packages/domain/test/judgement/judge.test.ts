import { describe, expect, it } from 'vitest';
import type { TGateSpec } from '@rampart/contracts';
import { builtInPlaybookSpecs } from '../../src/playbooks/built-in.js';
import {
  CANARY_OUTAGE_GATE,
  CANARY_SILENT_GATE,
  DEFAULT_INITIAL_DELAY_SECONDS,
  SILENT_AFTER_SECONDS,
  gateStatuses,
  initialDelaySeconds,
  judge,
  judgeWithCarry,
  judgedFrom,
  releaseVerdict,
} from '../../src/judgement/index.js';
import type { TBin, TCohortSeries, THistogramBin, TJudgementInput } from '../../src/judgement/index.js';
import { BIN, LATENCY_BOUNDS, T0, bin, gate, input, series, traffic, repeat } from './fixtures.js';

describe('release verdict and score', () => {
  it('orders verdicts: fail, then inconclusive, then warn, then pass', () => {
    expect(releaseVerdict(['pass', 'warn', 'inconclusive', 'fail'])).toBe('fail');
    expect(releaseVerdict(['pass', 'warn', 'inconclusive'])).toBe('inconclusive');
    expect(releaseVerdict(['pass', 'warn'])).toBe('warn');
    expect(releaseVerdict(['pass'])).toBe('pass');
    expect(releaseVerdict([])).toBe('pass');
  });

  const threshold = (key: string, severity: string, value: number, stages?: string[]) =>
    gate({ key, name: key, kind: 'threshold', metric: 'error_rate', comparator: 'above', value, severity, minRequests: 10, stages });

  it('weighs rollback, pause and warn gates 3, 2 and 1; inconclusive earns half', () => {
    const c = traffic(repeat(6, 0.02), 1000);
    const analysis = judge(
      input({
        gates: [
          threshold('rollback-pass', 'rollback', 0.05),
          threshold('pause-fail', 'pause', 0.01),
          threshold('warn-warn', 'warn', 0.01),
          gate({ key: 'warn-inconclusive', name: 'n', kind: 'threshold', metric: 'missing_metric', comparator: 'above', value: 1, severity: 'warn' }),
        ],
        scalars: { requests: series(c.requests), errors: series(c.errors) },
      }),
    );
    expect(analysis.breakdown).toEqual([
      { gate: 'rollback-pass', verdict: 'pass', weight: 3, points: 3 },
      { gate: 'pause-fail', verdict: 'fail', weight: 2, points: 0 },
      { gate: 'warn-warn', verdict: 'warn', weight: 1, points: 0 },
      { gate: 'warn-inconclusive', verdict: 'inconclusive', weight: 1, points: 0.5 },
    ]);
    expect(analysis.score).toBe(Math.round((100 * 3.5) / 7));
    expect(analysis.verdict).toBe('fail');
    expect(analysis.evaluatedAt).toBe(new Date(T0 + 60_000).toISOString());
    expect(gateStatuses(analysis)).toEqual([
      { key: 'rollback-pass', name: 'rollback-pass', severity: 'rollback', verdict: 'pass' },
      { key: 'pause-fail', name: 'pause-fail', severity: 'pause', verdict: 'fail' },
      { key: 'warn-warn', name: 'warn-warn', severity: 'warn', verdict: 'warn' },
      { key: 'warn-inconclusive', name: 'n', severity: 'warn', verdict: 'inconclusive' },
    ]);
  });

  it("judges only the current stage's gates", () => {
    const c = traffic(repeat(6, 0), 1000);
    const analysis = judge(
      input({
        stage: { key: 'ramp', enteredAt: T0, trafficPercent: 25 },
        gates: [threshold('everywhere', 'warn', 0.01), threshold('ramp-only', 'warn', 0.01, ['ramp']), threshold('canary-only', 'warn', 0.01, ['canary'])],
        scalars: { requests: series(c.requests), errors: series(c.errors) },
      }),
    );
    expect(analysis.gates.map((g) => g.key)).toEqual(['everywhere', 'ramp-only']);
    expect(analysis.stage).toBe('ramp');
    expect(analysis.score).toBe(100);
  });

  it('never passes a stage without gates: no evidence is inconclusive, scoring half', () => {
    const analysis = judge(input({ gates: [] }));
    expect(analysis).toMatchObject({ verdict: 'inconclusive', score: 50, breakdown: [], gates: [] });
    // Gates for other stages only are no gates either.
    const elsewhere = judge(input({ gates: [threshold('ramp-only', 'warn', 0.01, ['ramp'])] }));
    expect(elsewhere).toMatchObject({ verdict: 'inconclusive', score: 50, gates: [] });
    // At 100% the baseline comparisons drop out; a stage left with none is inconclusive too.
    const sequentialOnly = gate({ key: 'seq', name: 'Sequential', kind: 'sequential', metric: 'error_rate', severity: 'pause' });
    const full = judge(input({ stage: { key: 'full', enteredAt: T0, trafficPercent: 100 }, gates: [sequentialOnly] }));
    expect(full).toMatchObject({ verdict: 'inconclusive', score: 50, gates: [] });
  });
});

describe('initial delay', () => {
  const errorGate = gate({ key: 'e', name: 'Error rate above 1%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.01, severity: 'pause' });
  const healthGate = gate({ key: 'h', name: 'Health', kind: 'consecutive_failures', metric: 'health_ok', failures: 1, severity: 'pause' });
  const sequentialGate = gate({ key: 's', name: 'Sequential', kind: 'sequential', metric: 'error_rate', severity: 'pause' });
  /** 2% canary errors from the stage start on 1,000 requests a bin (the baseline at 0.5%), and failing health checks. */
  function warmingUp(now: number, stage: Partial<TJudgementInput['stage']> = {}, gates = [errorGate, healthGate, sequentialGate]): TJudgementInput {
    const binsCount = Math.floor((now - T0) / BIN);
    const c = traffic(repeat(binsCount, 0.02), 1000);
    const b = traffic(repeat(binsCount, 0.005), 19_000);
    return {
      now,
      binSeconds: 10,
      releaseStartedAt: T0,
      stage: { key: 'canary', enteredAt: T0, trafficPercent: 5, ...stage },
      gates,
      scalars: {
        requests: series(c.requests, b.requests),
        errors: series(c.errors, b.errors),
        health_ok: series(Array.from({ length: binsCount }, (_, i) => bin(T0 + i * BIN, 0))),
      },
      histograms: {},
    };
  }

  it(`holds every gate inconclusive for ${DEFAULT_INITIAL_DELAY_SECONDS} s by default, then judges`, () => {
    expect(DEFAULT_INITIAL_DELAY_SECONDS).toBe(120);
    const early = judge(warmingUp(T0 + 110_000));
    expect(early.gates.map((g) => g.verdict)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
    for (const g of early.gates) expect(g.summary).toMatch(/^Warming up: .* 2 min after the stage began/);
    const judged = judge(warmingUp(T0 + 300_000));
    expect(judged.gates.map((g) => [g.key, g.verdict])).toEqual([
      ['e', 'fail'],
      ['h', 'fail'],
      ['s', 'fail'],
    ]);
  });

  it('judges only what follows the delay', () => {
    // Right after the delay the threshold reads only the bins after it, however many came before.
    const justAfter = judge(warmingUp(T0 + 130_000)).gates[0]!;
    expect(justAfter.evidence.sampleSize).toBe(1000);
    expect(justAfter.evidence.windowSeconds).toBe(10);
    expect(judgedFrom({ stage: { key: 'canary', enteredAt: T0, trafficPercent: 5 } })).toBe(T0 + 120_000);
  });

  it("takes the stage's delay, and a gate's own over it", () => {
    const stage = { initialDelaySeconds: 600 };
    expect(judge(warmingUp(T0 + 300_000, stage)).gates.every((g) => g.verdict === 'inconclusive')).toBe(true);
    const eager = { ...errorGate, key: 'eager', initialDelaySeconds: 30 };
    const mixed = judge(warmingUp(T0 + 300_000, stage, [eager, errorGate]));
    expect(mixed.gates.map((g) => [g.key, g.verdict])).toEqual([
      ['eager', 'fail'],
      ['e', 'inconclusive'],
    ]);
    expect(initialDelaySeconds({ stage: { key: 'canary', enteredAt: T0, trafficPercent: 5, initialDelaySeconds: 600 } }, eager)).toBe(30);
  });
});

describe('built-in safety nets', () => {
  const errorGate = gate({ key: 'e', name: 'Error rate above 5%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.05, severity: 'warn' });
  /** A stage just entered at T0 with the default initial delay, the canary's bins as given, no baseline at all. */
  function canaryOnly(now: number, requests: TBin[], errors: TBin[], extra: Partial<TJudgementInput> = {}): TJudgementInput {
    return {
      now,
      binSeconds: 10,
      releaseStartedAt: T0,
      stage: { key: 'canary', enteredAt: T0, trafficPercent: 5 },
      gates: [errorGate],
      scalars: { requests: series(requests), errors: series(errors) },
      histograms: {},
      ...extra,
    };
  }

  it('rolls back a canary failing every request within 30 s, with no baseline data and during the initial delay', () => {
    // 100% errors from the stage start, 20 requests a bin: the first complete bin already holds 20 errors.
    const all = traffic(repeat(3, 1), 20);
    const firstBin = judge(canaryOnly(T0 + BIN, all.requests.slice(0, 1), all.errors.slice(0, 1)));
    const outage = firstBin.gates.find((g) => g.key === CANARY_OUTAGE_GATE.key);
    expect(outage).toMatchObject({ verdict: 'fail', severity: 'rollback', kind: 'threshold', metric: 'error_rate' });
    expect(outage!.summary).toContain('with no baseline data');
    expect(outage!.evidence).toMatchObject({ canary: 1, baseline: null, sampleSize: 20 });
    expect(firstBin.gates.find((g) => g.key === 'e')!.summary).toContain('Warming up'); // the playbook's gate still waits
    expect(firstBin.verdict).toBe('fail');
    const within30 = judge(canaryOnly(T0 + 3 * BIN, all.requests, all.errors));
    expect(within30.gates.map((g) => g.key)).toContain(CANARY_OUTAGE_GATE.key);
  });

  it('is no outage when the baseline fails alike, under 10 errors, or under half the requests failing', () => {
    const canary = traffic(repeat(3, 1), 20);
    const baseline = traffic(repeat(3, 0.9), 400);
    const alike = judge(canaryOnly(T0 + 3 * BIN, canary.requests, canary.errors, {
      scalars: { requests: series(canary.requests, baseline.requests), errors: series(canary.errors, baseline.errors) },
    }));
    expect(alike.gates.map((g) => g.key)).toEqual(['e']);
    const few = traffic(repeat(3, 1), 3); // 9 errors in 30 s
    expect(judge(canaryOnly(T0 + 3 * BIN, few.requests, few.errors)).gates.map((g) => g.key)).toEqual(['e']);
    const someFail = traffic(repeat(3, 0.4), 100);
    expect(judge(canaryOnly(T0 + 3 * BIN, someFail.requests, someFail.errors)).gates.map((g) => g.key)).toEqual(['e']);
    // Only the last 30 s count: an outage that ended a minute ago is over.
    const ended = traffic([...repeat(3, 1), ...repeat(6, 0)], 20);
    expect(judge(canaryOnly(T0 + 9 * BIN, ended.requests, ended.errors)).gates.map((g) => g.key)).toEqual(['e']);
  });

  it(`pauses when the canary sends nothing for ${SILENT_AFTER_SECONDS} s while the stage takes traffic`, () => {
    // The canary reports for 4 minutes, then falls silent.
    const reported = traffic(repeat(24, 0), 1000);
    const at = (now: number, extra: Partial<TJudgementInput> = {}) => judge(canaryOnly(now, reported.requests, reported.errors, extra));
    const lastReport = T0 + 24 * BIN;
    const limit = SILENT_AFTER_SECONDS * 1000;
    expect(at(lastReport + limit - 10_000).gates.map((g) => g.key)).toEqual(['e']);
    const silent = at(lastReport + limit);
    const net = silent.gates.find((g) => g.key === CANARY_SILENT_GATE.key);
    expect(net).toMatchObject({ verdict: 'fail', severity: 'pause', kind: 'consecutive_failures', metric: 'canary_reporting' });
    expect(net!.summary).toMatch(/no metrics for 5 min while it takes 5% of traffic/);
    expect(net!.evidence.breachedForSeconds).toBe(SILENT_AFTER_SECONDS);
    expect(silent.verdict).toBe('fail');
    // Not at a stage that sends the canary no traffic, nor (without a carry that says it reported before) for a
    // canary that has not reported this stage.
    expect(at(lastReport + 900_000, { stage: { key: 'staging', enteredAt: T0, trafficPercent: 0 } }).gates.map((g) => g.key)).toEqual(['e']);
    expect(at(lastReport + 900_000, { stage: { key: 'ramp', enteredAt: lastReport + 10_000, trafficPercent: 25 } }).gates.map((g) => g.key)).toEqual(['e']);
  });

  it('pauses a canary that reported at an earlier stage and has sent nothing since the ramp', () => {
    const reported = traffic(repeat(24, 0), 1000);
    const lastReport = T0 + 24 * BIN;
    const first = judgeWithCarry(canaryOnly(lastReport, reported.requests, reported.errors), null);
    const ramp = { key: 'ramp', enteredAt: lastReport + 10_000, trafficPercent: 25, initialDelaySeconds: 0 };
    const rampJudgedFrom = ramp.enteredAt;
    const quiet = (now: number) =>
      judgeWithCarry({ ...canaryOnly(now, [], []), stage: ramp }, first.carry).analysis.gates.map((g) => g.key);
    expect(quiet(rampJudgedFrom + SILENT_AFTER_SECONDS * 1000 - 10_000)).not.toContain(CANARY_SILENT_GATE.key);
    expect(quiet(rampJudgedFrom + SILENT_AFTER_SECONDS * 1000)).toContain(CANARY_SILENT_GATE.key);
  });

  it('stays out of the analysis while it does not fire, so a healthy stage is judged by its playbook alone', () => {
    const healthy = traffic(repeat(30, 0.01), 1000);
    const analysis = judge(canaryOnly(T0 + 30 * BIN, healthy.requests, healthy.errors));
    expect(analysis.gates.map((g) => g.key)).toEqual(['e']);
    expect(analysis.breakdown).toEqual([{ gate: 'e', verdict: 'pass', weight: 1, points: 1 }]);
    expect(analysis.score).toBe(100);
  });
});

/** Healthy traffic for every metric the seeds use, both cohorts, one point per 10-second bin. */
function healthyData(from: number, bins: number, canaryShare: number): Pick<TJudgementInput, 'scalars' | 'histograms'> {
  const scalars: Record<string, TCohortSeries<TBin>> = {};
  const gauge = (name: string, value: number) => {
    scalars[name] = { canary: [], baseline: [] };
    for (let i = 0; i < bins; i++) {
      scalars[name].canary.push(bin(from + i * BIN, value));
      scalars[name].baseline.push(bin(from + i * BIN, value));
    }
  };
  const perBin = 10_000;
  const canary = Math.round(perBin * canaryShare);
  scalars['requests'] = series(
    Array.from({ length: bins }, (_, i) => bin(from + i * BIN, canary)),
    Array.from({ length: bins }, (_, i) => bin(from + i * BIN, perBin - canary)),
  );
  // 0.05% errors: one in 2,000 requests, spread evenly.
  scalars['errors'] = series(
    Array.from({ length: bins }, (_, i) => bin(from + i * BIN, Math.floor(((i + 1) * canary) / 2000) - Math.floor((i * canary) / 2000))),
    Array.from({ length: bins }, (_, i) => bin(from + i * BIN, Math.round((perBin - canary) / 2000))),
  );
  gauge('latency_p95_ms', 180);
  gauge('latency_p99_ms', 400);
  gauge('health_ok', 1);
  gauge('prescription_upload_dedup_rate', 0.001);
  gauge('order_creation_success_rate', 0.99);
  gauge('db_connection_pool_usage', 0.3);
  gauge('login_success_rate', 0.99);
  gauge('availability', 0.9999);
  gauge('http_5xx_per_minute', 0);
  // Buckets that agree with the gauges: P95 about 190 ms, P99 about 280 ms (a histogram wins over a gauge).
  const hist = (n: number): THistogramBin[] =>
    Array.from({ length: bins }, (_, i) => ({ t: from + i * BIN, counts: [0.3, 0.8, 0.97, 0.995, 0.999, 1, 1].map((s) => Math.round(s * n)) }));
  return { scalars, histograms: { latency_ms: { bounds: LATENCY_BOUNDS, series: { canary: hist(canary), baseline: hist(perBin - canary) } } } };
}

describe('the five seed playbooks', () => {
  for (const { key, spec } of builtInPlaybookSpecs()) {
    it(`${key}: judges every gate of every stage; healthy traffic breaches none`, () => {
      for (const stage of spec.stages) {
        const share = stage.trafficPercent / 100;
        const data = share > 0 ? healthyData(T0, 360, Math.min(share, 0.5)) : { scalars: {}, histograms: {} };
        const analysis = judge({
          now: T0 + 360 * BIN,
          binSeconds: 10,
          stage: { key: stage.key, enteredAt: T0, trafficPercent: stage.trafficPercent },
          releaseStartedAt: T0,
          gates: spec.gates as TGateSpec[],
          ...data,
        });
        const atFull = stage.trafficPercent >= 100;
        const expected = spec.gates
          .filter((g) => !g.stages || g.stages.includes(stage.key))
          .filter((g) => !atFull || (g.kind !== 'baseline_delta' && g.kind !== 'baseline_ratio' && g.kind !== 'sequential'))
          .map((g) => g.key);
        expect(analysis.gates.map((g) => g.key)).toEqual(expected);
        for (const g of analysis.gates) {
          expect(g.summary.length).toBeGreaterThan(10);
          if (share === 0) expect(g.verdict, `${stage.key} ${g.key}`).toBe('inconclusive');
          else expect(g.verdict, `${stage.key} ${g.key}: ${g.summary}`).toBe('pass');
        }
      }
    });
  }
});

// What an evaluation costs is measured by `pnpm bench --only judgement` (not here: timings fail on a busy
// machine). This checks what makes it cheap: with the carried state, the last quarter of an hour of bins
// gives the same analysis as the whole day.
describe('incremental judgement', () => {
  it('judges a day-old stage from its last 15 minutes of bins and the carry, exactly as from the whole day', () => {
    const { spec } = builtInPlaybookSpecs().find((p) => p.key === 'workers-phased')!;
    const bins = 8640;
    const data = healthyData(T0, bins, 0.1);
    const gates = [
      ...spec.gates,
      gate({ key: 'seq-latency', name: 'Sequential latency', kind: 'sequential', metric: 'latency', alpha: 0.01, severity: 'pause' }),
    ] as TGateSpec[];
    const at = (now: number): TJudgementInput => ({
      now,
      binSeconds: 10,
      stage: { key: 'partial-50', enteredAt: T0 + 3600_000, trafficPercent: 50 },
      releaseStartedAt: T0,
      gates,
      ...data,
    });
    const end = T0 + bins * BIN;
    const before = judgeWithCarry(at(end - 10 * BIN), null);
    const full = judgeWithCarry(at(end), null);
    // What the API's loader reads: the bins a carried sequential gate has not folded, and the gates' windows.
    const from = Math.min(end - 910_000, ...Object.values(before.carry.sequential).map((c) => c.nextBin));
    expect(end - from).toBeLessThanOrEqual(16 * 60_000);
    const cut = <B extends { t: number }>(xs: B[]) => xs.filter((b) => b.t >= from);
    const recent: TJudgementInput = {
      ...at(end),
      scalars: Object.fromEntries(Object.entries(data.scalars).map(([k, v]) => [k, { canary: cut(v.canary), baseline: cut(v.baseline) }])),
      histograms: Object.fromEntries(
        Object.entries(data.histograms).map(([k, h]) => [k, { bounds: h.bounds, series: { canary: cut(h.series.canary), baseline: cut(h.series.baseline) } }]),
      ),
    };
    const incremental = judgeWithCarry(recent, before.carry);
    expect(incremental.analysis).toEqual(full.analysis);
    expect(full.analysis.gates.length).toBeGreaterThan(10);
  });
});
