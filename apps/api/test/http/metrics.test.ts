import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PLAYBOOK_SPEC, createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TClient, TTestApp } from '../support/test-app.js';
import { clientFor, pipelineClient, startTestApp } from '../support/test-app.js';

let t: TTestApp;
let pipeline: TClient;
let releaseId: string;
const T0 = Date.parse('2026-03-02T10:00:00Z');

beforeAll(async () => {
  t = await startTestApp();
  releaseId = (await createTestRelease(t, await createTestPlaybook(t))).id;
  pipeline = await pipelineClient(t);
});
afterAll(async () => t.close());

function scalar(ts: number, cohort: string, metric: string, value: number) {
  return { ts, cohort, metric, value };
}

describe('pushing metrics', () => {
  it('stores a batch, once, with ISO or epoch timestamps, and derives error_rate per step', async () => {
    const points = [];
    for (let s = 0; s < 60; s++) {
      points.push(scalar(T0 + s * 1000, 'canary', 'requests', 100), scalar(T0 + s * 1000, 'canary', 'errors', s < 30 ? 1 : 3));
      points.push(scalar(T0 + s * 1000, 'baseline', 'requests', 1000), scalar(T0 + s * 1000, 'baseline', 'errors', 10));
    }
    points.push({ ts: '2026-03-02T10:01:00.000+00:00', cohort: 'canary', metric: 'orders_created', value: 7 });
    const first = await pipeline.post(`/api/releases/${releaseId}/metrics`, { points });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ accepted: 241, stored: 241, duplicates: 0 });
    const again = await pipeline.post(`/api/releases/${releaseId}/metrics`, { points });
    expect(again.json()).toEqual({ accepted: 241, stored: 0, duplicates: 241 });
    expect(await t.db.metricPoint.count({ where: { releaseId } })).toBe(241);

    const viewer = await t.as('support');
    const from = T0;
    const to = T0 + 60_000;
    const series = (await viewer.get(`/api/releases/${releaseId}/metrics?metric=error_rate&from=${from}&to=${to}&step=30`)).json();
    expect(series).toMatchObject({ metric: 'error_rate', stepSeconds: 30 });
    expect(series.canary).toEqual([
      { t: T0, v: 0.01 },
      { t: T0 + 30_000, v: 0.03 },
    ]);
    expect(series.baseline.map((p: { v: number }) => p.v)).toEqual([0.01, 0.01]);
    const requests = (await viewer.get(`/api/releases/${releaseId}/metrics?metric=requests&from=2026-03-02T10:00:00Z&to=${to}&step=60`)).json();
    expect(requests.canary).toEqual([{ t: T0, v: 6000 }]);
  });

  it('downsamples a long window to at most 1500 points a series', async () => {
    const day = 24 * 3600_000;
    const viewer = await t.as('support');
    const series = (await viewer.get(`/api/releases/${releaseId}/metrics?metric=requests&from=${T0 - day + 60_000}&to=${T0 + 60_000}&step=1`)).json();
    expect(series.stepSeconds).toBe(58);
    expect(series.canary.length).toBeLessThanOrEqual(1500);
  });

  it('stores latency histograms', async () => {
    const buckets = [
      { le: 100, count: 50 },
      { le: 250, count: 90 },
      { le: '+Inf', count: 100 },
    ];
    const response = await pipeline.post(`/api/releases/${releaseId}/metrics`, {
      points: [{ ts: T0, cohort: 'canary', metric: 'latency_ms', buckets }],
    });
    expect(response.json()).toEqual({ accepted: 1, stored: 1, duplicates: 0 });
    const row = await t.db.metricHistogram.findFirstOrThrow({ where: { releaseId } });
    expect(row.bounds).toEqual([100, 250, Infinity]);
    expect(row.counts).toEqual([50, 90, 100]);
  });

  it('refuses the whole batch when one point is bad, naming its index and field', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ ts: 'yesterday', cohort: 'canary', metric: 'requests', value: 1 }, 'body.points.1.ts', /ISO 8601/],
      [{ ts: T0, cohort: 'canary', metric: 'health_ok', value: 0.5 }, 'body.points.1.value', /1 \(passing\) or 0/],
      [{ ts: T0, cohort: 'canary', metric: 'requests', value: -1 }, 'body.points.1.value', /negative/],
      [{ ts: T0, cohort: 'control', metric: 'requests', value: 1 }, 'body.points.1.cohort', /canary|baseline/],
      [{ ts: T0, cohort: 'canary', metric: 'Bad Name', value: 1 }, 'body.points.1.metric', /snake_case/],
      [{ ts: T0 + 3600_000 * 24 * 400, cohort: 'canary', metric: 'requests', value: 1 }, 'body.points.1.ts', /future/],
    ];
    for (const [bad, field, message] of cases) {
      const response = await pipeline.post(`/api/releases/${releaseId}/metrics`, {
        points: [scalar(T0 + 99_000, 'canary', 'requests', 1), bad],
      });
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(response.json().field, JSON.stringify(response.json())).toBe(field);
      expect(response.json().message).toMatch(message);
    }
    expect(await t.db.metricPoint.count({ where: { releaseId, ts: new Date(T0 + 99_000) } })).toBe(0);
    const tooMany = await pipeline.post(`/api/releases/${releaseId}/metrics`, {
      points: Array.from({ length: 10_001 }, (_, i) => scalar(T0 + i, 'canary', 'requests', 1)),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().field).toBe('body.points');
  });

  it('is refused with 409 for a finished release, and 403 without the metrics scope', async () => {
    const owner = await t.as('owner');
    const done = await createTestRelease(t, await createTestPlaybook(t, 'finished-flow'));
    await owner.post(`/api/releases/${done.id}/actions/abort`, { expectedRevision: done.revision });
    const late = await pipeline.post(`/api/releases/${done.id}/metrics`, { points: [scalar(T0, 'canary', 'requests', 1)] });
    expect(late.statusCode).toBe(409);
    const reader = (await owner.post('/api/tokens', { name: 'reader', scopes: ['releases:read'] })).json().token;
    const forbidden = await clientFor(t.app, { authorization: `Bearer ${reader}` }).post(`/api/releases/${releaseId}/metrics`, {
      points: [scalar(T0, 'canary', 'requests', 1)],
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('fills the message templates with the last five minutes of each cohort', async () => {
    const admin = await t.as('admin');
    const spec = {
      ...TEST_PLAYBOOK_SPEC,
      messages: [{ key: 'progress', kind: 'progress', audience: 'internal', title: 'Progress', body: '{{errorRate}} vs {{baselineErrorRate}}; P95 {{latencyP95}} vs {{baselineLatencyP95}}; {{health}}' }],
    };
    const playbookId = (await admin.post('/api/playbooks', { key: 'figures', name: 'Figures', spec })).json().id;
    const release = await createTestRelease(t, playbookId, 'figures');
    const ts = T0 - 60_000;
    const points = [
      scalar(ts, 'canary', 'requests', 400), scalar(ts, 'canary', 'errors', 8), scalar(ts, 'canary', 'latency_p95_ms', 1250),
      scalar(ts, 'baseline', 'requests', 4000), scalar(ts, 'baseline', 'errors', 12), scalar(ts, 'baseline', 'latency_p95_ms', 240),
      // Older than five minutes: left out.
      scalar(T0 - 600_000, 'canary', 'errors', 400),
    ];
    expect((await pipeline.post(`/api/releases/${release.id}/metrics`, { points })).statusCode).toBe(202);
    const { messages } = (await admin.get(`/api/releases/${release.id}/messages`)).json();
    expect(messages[0].text).toBe('2.00% vs 0.30%; P95 1.25 s vs 240 ms; Unknown (not started yet)');
  });
});
