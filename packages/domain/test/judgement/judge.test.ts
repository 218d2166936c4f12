import { describe, expect, it } from 'vitest';
import type { TGateSpec } from '@rampart/contracts';
import { builtInPlaybookSpecs } from '../../src/playbooks/built-in.js';
import { gateStatuses, judge, releaseVerdict } from '../../src/judgement/index.js';
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

  it('passes a stage without gates with a score of 100', () => {
    const analysis = judge(input({ gates: [] }));
    expect(analysis).toMatchObject({ verdict: 'pass', score: 100, breakdown: [], gates: [] });
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
  const hist = (n: number): THistogramBin[] =>
    Array.from({ length: bins }, (_, i) => ({ t: from + i * BIN, counts: [0.2, 0.6, 0.9, 0.95, 0.99, 1, 1].map((s) => Math.round(s * n)) }));
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

describe('performance', () => {
  it('judges 24 hours of 10-second bins for 10 metrics in well under 10 ms', () => {
    const { spec } = builtInPlaybookSpecs().find((p) => p.key === 'workers-phased')!;
    const bins = 8640;
    const data = healthyData(T0, bins, 0.1);
    const gates = [
      ...spec.gates,
      gate({ key: 'seq-latency', name: 'Sequential latency', kind: 'sequential', metric: 'latency', alpha: 0.01, severity: 'pause' }),
    ] as TGateSpec[];
    const judgement: TJudgementInput = {
      now: T0 + bins * BIN,
      binSeconds: 10,
      stage: { key: 'partial-50', enteredAt: T0 + 3600_000, trafficPercent: 50 },
      releaseStartedAt: T0,
      gates,
      ...data,
    };
    for (let i = 0; i < 5; i++) judge(judgement); // warm up
    const times: number[] = [];
    for (let i = 0; i < 21; i++) {
      const began = performance.now();
      judge(judgement);
      times.push(performance.now() - began);
    }
    times.sort((a, b) => a - b);
    console.log(`judge over 24 h of bins, ${gates.length} gates: fastest ${times[0]!.toFixed(2)} ms, median ${times[10]!.toFixed(2)} ms`);
    // The fastest of 21 is the engine's own cost; the median also carries whatever else the machine runs.
    expect(times[0]!).toBeLessThan(10);
  });
});
