// The scenario generator without a server: deterministic for a seed, healthy near its base rates, and
// each regression shape where the scenario puts it.
import { ZMetricBatch } from '@rampart/contracts';
import type { TMetricPointInput } from '@rampart/contracts';
import { builtInPlaybookSpecs } from '@rampart/domain';
import { describe, expect, it } from 'vitest';
import { businessMetricsFromGates } from '../src/business-metrics.js';
import type { TGeneratorOptions, TWindow } from '../src/generator.js';
import { TrafficGenerator } from '../src/generator.js';
import { Random } from '../src/random.js';
import { SCENARIO_KINDS, resolveScenario } from '../src/scenarios.js';

const T0 = Date.parse('2026-03-02T10:00:00Z');

/** `seconds` one-second windows at `percent` canary. */
function run(options: Partial<TGeneratorOptions> & Pick<TGeneratorOptions, 'scenario'>, seconds: number, percent = 50): TWindow[] {
  const generator = new TrafficGenerator({ seed: 42, rps: 1000, origin: T0, ...options });
  const step = (options.windowSeconds ?? 1) * 1000;
  return Array.from({ length: seconds / (step / 1000) }, (_, i) => generator.window(T0 + (i + 1) * step, percent));
}

function errorRate(windows: TWindow[], cohort: 'canary' | 'baseline'): number {
  const requests = windows.reduce((sum, w) => sum + w[cohort].requests, 0);
  return windows.reduce((sum, w) => sum + w[cohort].errors, 0) / requests;
}

function meanP95(windows: TWindow[], cohort: 'canary' | 'baseline'): number {
  const values = windows.flatMap((w) => (w[cohort].p95 === null ? [] : [w[cohort].p95]));
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function between(windows: TWindow[], from: number, to: number): TWindow[] {
  return windows.filter((w) => w.elapsedSeconds >= from && w.elapsedSeconds < to);
}

describe('the random source', () => {
  it('repeats itself for a seed and draws sensible Poisson and binomial counts', () => {
    const a = new Random(7);
    const b = new Random(7);
    const c = new Random(8);
    const draws = (r: Random) => Array.from({ length: 5 }, () => r.next());
    expect(draws(a)).toEqual(draws(b));
    expect(draws(new Random(7))).not.toEqual(draws(c));
    const r = new Random(1);
    for (const mean of [0.5, 8, 1000]) {
      const samples = Array.from({ length: 4000 }, () => r.poisson(mean));
      const average = samples.reduce((x, y) => x + y, 0) / samples.length;
      expect(Math.abs(average - mean)).toBeLessThan(4 * Math.sqrt(mean / samples.length) + 0.01);
    }
    for (const [n, p] of [[30, 0.2], [10_000, 0.0005], [10_000, 0.3], [500, 0.9]] as const) {
      const samples = Array.from({ length: 3000 }, () => r.binomial(n, p));
      const average = samples.reduce((x, y) => x + y, 0) / samples.length;
      expect(samples.every((k) => k >= 0 && k <= n)).toBe(true);
      expect(Math.abs(average - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / samples.length) + 0.01);
    }
  });
});

describe('the scenario generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const first = run({ scenario: 'error_spike', rps: 200 }, 60);
    const again = run({ scenario: 'error_spike', rps: 200 }, 60);
    const other = run({ scenario: 'error_spike', rps: 200, seed: 43 }, 60);
    expect(again.map((w) => w.points)).toEqual(first.map((w) => w.points));
    expect(other.map((w) => w.points)).not.toEqual(first.map((w) => w.points));
  });

  it('produces points the metrics contract accepts: counts, percentiles, a histogram, health checks', () => {
    const windows = run({ scenario: 'healthy', rps: 300 }, 20, 10);
    const points: TMetricPointInput[] = windows.flatMap((w) => w.points);
    expect(ZMetricBatch.safeParse({ points }).success).toBe(true);
    const first = windows[0];
    const metrics = new Set(first?.points.filter((p) => p.cohort === 'canary').map((p) => p.metric));
    expect([...metrics].sort()).toEqual(
      ['errors', 'health_ok', 'latency_ms', 'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms', 'requests'].sort(),
    );
    for (const w of windows) {
      for (const cohort of ['canary', 'baseline'] as const) {
        const histogram = w.points.find((p) => p.cohort === cohort && 'buckets' in p);
        expect(histogram && 'buckets' in histogram ? histogram.buckets.at(-1) : null).toEqual({ le: '+Inf', count: w[cohort].requests });
      }
      expect(w.points.every((p) => p.ts === w.ts)).toBe(true);
    }
    // A health check per cohort every 5 windows (5 s by default).
    expect(windows.filter((w) => w.canary.healthOk !== null).map((w) => w.elapsedSeconds)).toEqual([0, 5, 10, 15]);
  });

  it('stays near its base rates when healthy, with the split following the applied percent', () => {
    const windows = run({ scenario: 'healthy', baseErrorRate: 0.01 }, 600, 25);
    const canaryRequests = windows.reduce((s, w) => s + w.canary.requests, 0);
    const total = windows.reduce((s, w) => s + w.canary.requests + w.baseline.requests, 0);
    expect(total / 600).toBeGreaterThan(980);
    expect(total / 600).toBeLessThan(1020);
    expect(canaryRequests / total).toBeCloseTo(0.25, 2);
    expect(errorRate(windows, 'canary')).toBeGreaterThan(0.009);
    expect(errorRate(windows, 'canary')).toBeLessThan(0.011);
    expect(errorRate(windows, 'baseline')).toBeGreaterThan(0.0095);
    expect(errorRate(windows, 'baseline')).toBeLessThan(0.0105);
    // Median 120 ms, sigma 0.5: P95 ≈ 273 ms on both sides.
    expect(meanP95(windows, 'canary') / 273).toBeGreaterThan(0.95);
    expect(meanP95(windows, 'canary') / 273).toBeLessThan(1.05);
    expect(meanP95(windows, 'canary') / meanP95(windows, 'baseline')).toBeCloseTo(1, 1);
    expect(windows.every((w) => w.canary.healthOk !== false && w.baseline.healthOk !== false)).toBe(true);
  });

  it('sends no canary traffic and no canary health checks at 0%, and no baseline at 100%', () => {
    const at0 = run({ scenario: 'healthy' }, 10, 0);
    expect(at0.every((w) => w.canary.requests === 0 && w.canary.p95 === null && w.canary.healthOk === null)).toBe(true);
    expect(at0.every((w) => w.points.filter((p) => p.cohort === 'canary').every((p) => p.metric === 'requests' || p.metric === 'errors'))).toBe(true);
    const at100 = run({ scenario: 'healthy' }, 10, 100);
    expect(at100.every((w) => w.baseline.requests === 0)).toBe(true);
  });

  it('error spike: the canary errors five times as often during the spike only', () => {
    const windows = run({ scenario: { kind: 'error_spike', factor: 5, startSeconds: 60, durationSeconds: 120 }, baseErrorRate: 0.01 }, 300);
    const before = between(windows, 0, 60);
    const during = between(windows, 60, 180);
    const after = between(windows, 180, 300);
    expect(errorRate(before, 'canary') / errorRate(before, 'baseline')).toBeLessThan(1.4);
    expect(errorRate(during, 'canary') / errorRate(during, 'baseline')).toBeGreaterThan(4.2);
    expect(errorRate(during, 'canary') / errorRate(during, 'baseline')).toBeLessThan(5.8);
    expect(errorRate(after, 'canary') / errorRate(after, 'baseline')).toBeLessThan(1.4);
  });

  it.each([0.2, 0.5])('latency regression: the canary is %s slower, the baseline unchanged', (increase) => {
    const windows = run({ scenario: { kind: 'latency_regression', increase } }, 300);
    expect(meanP95(windows, 'canary') / meanP95(windows, 'baseline')).toBeCloseTo(1 + increase, 1);
    expect(meanP95(windows, 'baseline') / 273).toBeCloseTo(1, 1);
  });

  it('slow drift: the canary error rate climbs to double over 30 minutes and stays', () => {
    const windows = run({ scenario: 'slow_drift', baseErrorRate: 0.01, windowSeconds: 5 }, 2400);
    const ratio = (from: number, to: number) => {
      const slice = between(windows, from, to);
      return errorRate(slice, 'canary') / errorRate(slice, 'baseline');
    };
    expect(ratio(0, 180)).toBeLessThan(1.2);
    expect(ratio(800, 1000)).toBeGreaterThan(1.35);
    expect(ratio(800, 1000)).toBeLessThan(1.65);
    expect(ratio(1800, 2400)).toBeGreaterThan(1.85);
    expect(ratio(1800, 2400)).toBeLessThan(2.15);
  });

  it('flapping: the canary crosses its line every half period, never staying above longer', () => {
    const windows = run({ scenario: { kind: 'flapping', line: 0.01, periodSeconds: 120 } }, 480);
    for (let start = 0; start < 480; start += 60) {
      const rate = errorRate(between(windows, start, start + 60), 'canary');
      if ((start / 60) % 2 === 0) expect(rate).toBeGreaterThan(0.012);
      else expect(rate).toBeLessThan(0.008);
    }
    const latency = run({ scenario: { kind: 'flapping', metric: 'latency_p95_ms', line: 500, periodSeconds: 60 } }, 120);
    expect(meanP95(between(latency, 0, 30), 'canary')).toBeGreaterThan(550);
    expect(meanP95(between(latency, 30, 60), 'canary')).toBeLessThan(450);
    expect(meanP95(latency, 'baseline')).toBeLessThan(300);
  });

  it('low traffic: 10 requests a second with the canary pinned at 1% whatever is applied', () => {
    const windows = run({ scenario: 'low_traffic' }, 1000, 50);
    const canary = windows.reduce((s, w) => s + w.canary.requests, 0);
    const total = windows.reduce((s, w) => s + w.canary.requests + w.baseline.requests, 0);
    expect(total / 1000).toBeGreaterThan(9);
    expect(total / 1000).toBeLessThan(11);
    expect(canary).toBeGreaterThan(50);
    expect(canary).toBeLessThan(160);
    expect(windows.every((w) => w.canaryPercent === 1)).toBe(true);
  });

  it('health check outage: the canary reports health_ok 0 for the outage, the baseline stays 1', () => {
    const windows = run({ scenario: { kind: 'health_outage', startSeconds: 30, durationSeconds: 60 } }, 150);
    const checks = windows.filter((w) => w.canary.healthOk !== null);
    const failing = checks.filter((w) => w.canary.healthOk === false).map((w) => w.elapsedSeconds);
    expect(failing).toEqual([30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85]);
    expect(checks.every((w) => w.baseline.healthOk === true)).toBe(true);
  });

  it('refuses unknown scenarios and bad parameters, and fills in defaults', () => {
    expect(() => resolveScenario('tsunami' as never)).toThrow(/unknown scenario/);
    expect(() => resolveScenario({ kind: 'error_spike', factor: -1 })).toThrow(/factor/);
    expect(resolveScenario('slow_drift')).toEqual({ kind: 'slow_drift', toFactor: 2, driftSeconds: 1800, startSeconds: 0 });
    for (const kind of SCENARIO_KINDS) expect(resolveScenario(kind).kind).toBe(kind);
  });
});

describe('business metrics from the gates', () => {
  const specs = builtInPlaybookSpecs();
  const gatesOf = (key: string) => specs.find((s) => s.key === key)?.spec.gates ?? [];

  it('finds the business metrics the seed playbooks gate on, healthy inside every line', () => {
    const all = specs.flatMap((s) => businessMetricsFromGates(s.spec.gates).map((m) => m.metric));
    expect(new Set(all)).toEqual(
      new Set([
        'prescription_upload_dedup_rate',
        'order_creation_success_rate',
        'db_connection_pool_usage',
        'login_success_rate',
        'availability',
        'http_5xx_per_minute',
      ]),
    );
    const valine = businessMetricsFromGates(gatesOf('valine-canary'));
    const byName = Object.fromEntries(valine.map((m) => [m.metric, m]));
    expect(byName.db_connection_pool_usage?.healthy).toBeLessThan(0.5);
    expect(byName.login_success_rate?.healthy).toBeGreaterThan(0.95);
    expect(byName.availability?.healthy).toBeGreaterThan(0.999);
  });

  it('produces them per cohort, keeps healthy values on the right side of the gates, and degrades them with the errors', () => {
    const businessMetrics = [...businessMetricsFromGates(gatesOf('valine-canary')), ...businessMetricsFromGates(gatesOf('workers-phased'))];
    const healthy = run({ scenario: 'healthy', businessMetrics, rps: 200 }, 300);
    const values = (windows: TWindow[], metric: string, cohort: 'canary' | 'baseline') =>
      windows.flatMap((w) => w.points.filter((p) => p.metric === metric && p.cohort === cohort)).map((p) => ('value' in p ? p.value : NaN));
    expect(Math.min(...values(healthy, 'availability', 'canary'))).toBeGreaterThan(0.999);
    expect(Math.min(...values(healthy, 'login_success_rate', 'canary'))).toBeGreaterThan(0.95);
    expect(Math.max(...values(healthy, 'db_connection_pool_usage', 'baseline'))).toBeLessThan(0.5);
    // 5xx per minute is the window's errors scaled to a minute.
    for (const w of healthy) {
      const perMinute = w.points.find((p) => p.metric === 'http_5xx_per_minute' && p.cohort === 'canary');
      expect(perMinute && 'value' in perMinute ? perMinute.value : null).toBe(w.canary.errors * 60);
    }
    const spike = run({ scenario: { kind: 'error_spike', factor: 20, startSeconds: 0, durationSeconds: 300 }, businessMetrics, rps: 200 }, 60);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(values(spike, 'login_success_rate', 'canary'))).toBeLessThan(mean(values(spike, 'login_success_rate', 'baseline')));
    expect(mean(values(spike, 'availability', 'canary'))).toBeLessThan(0.999);
  });
});
