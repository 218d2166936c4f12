// Prometheus as a metrics source, against a real Prometheus server on loopback scraping a real exporter:
// the poller stores canary and baseline points through the ingestion path pushes use, they are judged
// like pushed ones, and a Prometheus that stops answering yields one metrics.source_error event and
// inconclusive gates (never a pass on stale data).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAnalysis, TPrometheusSourceInput } from '@rampart/contracts';
import { ZMetricsSourceView } from '@rampart/contracts';
import { PrometheusError, queryRange } from '../../src/prometheus/prometheus-client.js';
import { parseStoredSource } from '../../src/prometheus/source-store.js';
import { applySourceOutage } from '../../src/prometheus/source-health.js';
import { startPrometheusPoller } from '../../src/prometheus/poller.js';
import { createOutboundClient } from '../../src/outbound/outbound-client.js';
import { parseOutboundAllow } from '../../src/outbound/outbound-policy.js';
import type { TPrometheusPoller } from '../../src/prometheus/poller.js';
import { analyzeRelease } from '../../src/services/judgement/analyze-release.js';
import type { TTestApp } from '../support/test-app.js';
import { TEST_OUTBOUND_ALLOW, startTestApp } from '../support/test-app.js';
import type { TPrometheus } from './support.js';
import { startExporter, startPrometheus, waitForSamples } from './support.js';

const SERVICE = 'checkout';
let exporter: Awaited<ReturnType<typeof startExporter>>;
let prometheus: TPrometheus;
let t: TTestApp;
let poller: TPrometheusPoller;
// Prometheus listens on loopback: the test opens it, as a self-hosted team opens its in-cluster Prometheus.
const outbound = createOutboundClient(parseOutboundAllow(TEST_OUTBOUND_ALLOW).allow);

/** The test's clock follows the wall clock here: Prometheus stamps samples with real time. */
function syncClock() {
  t.clock.advance((Date.now() - t.clock.now().getTime()) / 1000);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function source(url: string): TPrometheusSourceInput {
  const sel = `service="{{service}}",cohort="{{cohort}}"`;
  const queries: TPrometheusSourceInput['queries'] = [];
  for (const cohort of ['canary', 'baseline'] as const) {
    queries.push(
      { metric: 'requests', cohort, query: `sum(increase(http_requests_total{${sel}}[{{step}}]))` },
      { metric: 'errors', cohort, query: `sum(increase(http_request_errors_total{${sel}}[{{step}}]))` },
      { metric: 'latency_p95_ms', cohort, query: `1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[{{step}}])))` },
    );
  }
  queries.push({ metric: 'health_ok', cohort: 'canary', query: 'min(up{job="{{job}}"})' });
  return { url, stepSeconds: 2, labels: { job: 'shop' }, queries };
}

beforeAll(async () => {
  exporter = await startExporter(SERVICE);
  prometheus = await startPrometheus(exporter.target);
  t = await startTestApp();
  poller = startPrometheusPoller({ db: t.db, clock: t.clock, log: t.app.log, outbound, intervalMs: 3_600_000, timeoutMs: 2000 });
}, 60_000);

afterAll(async () => {
  await poller?.stop();
  await outbound.close();
  await t?.close();
  await prometheus?.stop();
  await exporter?.close();
});

describe('Prometheus as a metrics source', () => {
  it('fails with the install command when the prometheus binary is missing (never skips)', async () => {
    await expect(startPrometheus(exporter.target, '/nonexistent/prometheus')).rejects.toThrow(/apt-get install -y prometheus/);
  });

  it('turns an erroring query into a PrometheusError with the status and error type; the remote text goes to the log only', async () => {
    const now = Date.now();
    const error = await queryRange({ baseUrl: prometheus.url, query: 'sum(rate(http_requests_total[', startMs: now - 10_000, endMs: now, stepSeconds: 2, client: outbound }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect((error as PrometheusError).message).toBe(`Prometheus at ${prometheus.url} refused the query (HTTP 400, bad_data)`);
    expect((error as PrometheusError).detail).toMatch(/parse error/);
  });

  it('polls query_range, stores points judged like pushed ones, and turns an outage into one event and inconclusive gates', async () => {
    syncClock();
    const admin = await t.as('admin');
    const owner = await t.as('owner');
    const playbook = await admin.post('/api/playbooks', {
      key: 'prom-flow',
      name: 'Prometheus flow',
      spec: {
        stages: [
          { key: 'canary', name: 'Canary', trafficPercent: 10, minBakeSeconds: 600, initialDelaySeconds: 0 },
          { key: 'full', name: 'Full', trafficPercent: 100, minBakeSeconds: 0 },
        ],
        gates: [
          { key: 'error-rate', name: 'Error rate under 5%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.05, severity: 'rollback' },
          { key: 'p95', name: 'P95 within twice the baseline', kind: 'baseline_ratio', metric: 'latency_p95_ms', maxRatio: 2, severity: 'pause' },
          { key: 'health', name: 'Health checks', kind: 'consecutive_failures', metric: 'health_ok', failures: 3, severity: 'rollback' },
        ],
      },
    });
    expect(playbook.statusCode, playbook.body).toBe(201);
    const created = await owner.post('/api/releases', { service: SERVICE, version: '5.0.0', playbookId: playbook.json().id });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect((await owner.post(`/api/releases/${id}/actions/start`, { expectedRevision: created.json().revision })).statusCode).toBe(200);

    // The source: a bad placeholder is refused naming the field; the good one is stored.
    const bad = await owner.put(`/api/releases/${id}/metrics-source`, { ...source(prometheus.url), queries: [{ metric: 'requests', cohort: 'canary', query: 'sum(x{a="{{nope}}"})' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('queries.0.query');
    expect(bad.body).toContain('{{nope}}');
    const put = await owner.put(`/api/releases/${id}/metrics-source`, source(prometheus.url));
    expect(put.statusCode, put.body).toBe(200);
    expect(ZMetricsSourceView.parse(put.json()).prometheus?.queries).toHaveLength(7);
    expect((await (await t.as('support')).put(`/api/releases/${id}/metrics-source`, source(prometheus.url))).statusCode).toBe(403);

    // Prometheus scrapes the exporter every second; give it some seconds of data after the start.
    await waitForSamples(prometheus.url, `http_requests_total{service="${SERVICE}"}`);
    await sleep(9000);

    syncClock();
    const pollStarted = performance.now();
    await poller.tick();
    const analysis = applySourceOutage((await analyzeRelease(t.app, id))!, parseStoredSource((await t.db.release.findUniqueOrThrow({ where: { id } })).metricsSource));
    const pollToJudgementMs = performance.now() - pollStarted;

    const counts = await t.db.metricPoint.groupBy({ by: ['metric', 'cohort'], where: { releaseId: id }, _count: true, _sum: { value: true } });
    const byKey = Object.fromEntries(counts.map((c) => [`${c.metric}/${c.cohort}`, c]));
    for (const key of ['requests/canary', 'requests/baseline', 'errors/canary', 'errors/baseline', 'latency_p95_ms/canary', 'latency_p95_ms/baseline', 'health_ok/canary']) {
      expect(byKey[key]?._count, key).toBeGreaterThan(2);
    }
    // The exporter serves 60 canary and 240 baseline requests a second: the stored counts per step add up to about that.
    const canaryRate = (byKey['requests/canary']!._sum.value ?? 0) / (byKey['requests/canary']!._count * 2);
    expect(canaryRate).toBeGreaterThan(40);
    expect(canaryRate).toBeLessThan(90);
    const newest = await t.db.metricPoint.findFirstOrThrow({ where: { releaseId: id }, orderBy: { ts: 'desc' } });
    const freshnessMs = t.clock.now().getTime() - newest.ts.getTime();

    const verdicts = (a: TAnalysis) => Object.fromEntries(a.gates.map((g) => [g.key, g.verdict]));
    expect(verdicts(analysis), JSON.stringify(analysis.gates.map((g) => g.summary))).toEqual({ 'error-rate': 'pass', p95: 'pass', health: 'pass' });

    // The next poll reads only the new window: no point twice.
    const before = await t.db.metricPoint.count({ where: { releaseId: id } });
    await sleep(2500);
    syncClock();
    await poller.tick();
    const after = await t.db.metricPoint.count({ where: { releaseId: id } });
    expect(after).toBeGreaterThan(before);
    expect(after - before).toBeLessThanOrEqual(7 * 3);
    const status = ZMetricsSourceView.parse((await owner.get(`/api/releases/${id}/metrics-source`)).json()).status!;
    expect(status.error).toBeNull();
    expect(Date.parse(status.polledUntil!)).toBeGreaterThan(newest.ts.getTime());

    // Prometheus goes away: one event per outage, the reason shown, and the gates it feeds cannot pass.
    await prometheus.stop();
    for (let i = 0; i < 3; i++) {
      t.clock.advance(3);
      await poller.tick();
    }
    const events = await t.db.releaseEvent.findMany({ where: { releaseId: id, type: 'metrics.source_error' } });
    expect(events).toHaveLength(1);
    expect(events[0]!.reason).toMatch(new RegExp(`Prometheus at ${prometheus.url.replace(/[.]/g, '\\.')} is unreachable \\(ECONNREFUSED\\)`));
    expect(events[0]!.actorName).toBe('prometheus poller');
    const failing = ZMetricsSourceView.parse((await owner.get(`/api/releases/${id}/metrics-source`)).json()).status!;
    expect(failing.error).toMatchObject({ failures: 3 });
    expect(failing.error!.message).toContain('unreachable');

    const stored = parseStoredSource((await t.db.release.findUniqueOrThrow({ where: { id } })).metricsSource);
    const during = applySourceOutage((await analyzeRelease(t.app, id))!, stored);
    expect(verdicts(during)).toEqual({ 'error-rate': 'inconclusive', p95: 'inconclusive', health: 'inconclusive' });
    expect(during.verdict).toBe('inconclusive');
    expect(during.gates[0]!.summary).toContain('unreachable');
    expect(during.score).toBeLessThan(analysis.score);

    // Even without the override the engine's windows run dry: two minutes later the stale points judge nothing.
    t.clock.advance(121);
    const later = (await analyzeRelease(t.app, id))!;
    expect(verdicts(later)['error-rate']).toBe('inconclusive');
    expect(verdicts(later).p95).toBe('inconclusive');

    console.info(
      `prometheus: poll (${after - before} new points over 7 queries) to judgement ${pollToJudgementMs.toFixed(0)} ms; ` +
        `newest stored point ${freshnessMs} ms behind now (step 2 s, scrape 1 s)`,
    );
  }, 90_000);
});
