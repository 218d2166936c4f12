// The traffic simulator (@rampart/traffic) as an outside client of a real Rampart on loopback: it pushes points that are stored,
// follows the desired percent and acknowledges it, and stops by itself when the release finishes.
import type { TRelease } from '@rampart/contracts';
import type { TSimulator } from '@rampart/traffic';
import { startSimulator } from '@rampart/traffic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TClient, TTestApp, TUserName } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

let t: TTestApp;
let owner: TClient;
let baseUrl: string;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  owner = await t.as('owner');
  const created = await owner.post('/api/tokens', { name: 'pipeline', scopes: ['metrics:write', 'traffic:ack', 'releases:read'] });
  expect(created.statusCode).toBe(201);
  token = created.json<{ token: string }>().token;
});

afterAll(async () => {
  await t?.close();
});

async function act(id: string, action: string, extra: Record<string, unknown> = {}): Promise<TRelease> {
  const current = (await owner.get(`/api/releases/${id}`)).json<TRelease>();
  const response = await owner.post(`/api/releases/${id}/actions/${action}`, { expectedRevision: current.revision, ...extra });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<TRelease>();
}

const APPROVER: Record<string, TUserName> = { product: 'product', security: 'security', infrastructure: 'infra', engineering: 'eng' };

/** Gives the sign-offs the next stage needs (force waives bake time and gates, never a sign-off). */
async function signNextStage(id: string): Promise<void> {
  const current = (await owner.get(`/api/releases/${id}`)).json<TRelease>();
  const next = current.stages[current.currentStageIndex + 1];
  for (const { role } of next?.signoff ?? []) {
    const approver = await t.as(APPROVER[role]!);
    const signed = await approver.post(`/api/releases/${id}/approvals`, { role, decision: 'approve', stage: next!.key, comment: 'test' });
    expect(signed.statusCode, signed.body).toBe(200);
  }
}

async function forceRamp(id: string): Promise<TRelease> {
  await signNextStage(id);
  return act(id, 'ramp', { force: true, reason: 'test' });
}

/** A release of workers-phased, started and forced into its 10% canary stage. */
async function releaseAtCanary(): Promise<string> {
  const created = await owner.post('/api/releases', { service: 'checkout', version: '2.0.0', playbookId: await t.playbookId('workers-phased') });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<TRelease>().id;
  await act(id, 'start', { force: true, reason: 'test' });
  const ramped = await forceRamp(id);
  expect(ramped.desiredPercent).toBe(10);
  return id;
}

/** Moves the test clock a second at a time, letting the simulator take a pass after each. */
async function run(simulator: TSimulator, seconds: number) {
  for (let i = 0; i < seconds; i++) {
    t.clock.advance(1);
    await simulator.tick();
  }
}

async function traffic(id: string) {
  return (await owner.get(`/api/releases/${id}/traffic`)).json<{ state: string; desiredPercent: number; acknowledgedPercent: number }>();
}

describe('the simulator against a real Rampart', () => {
  it('pushes stored points for both cohorts, acknowledges ramps after its delay, and stops when the release is rolled back', async () => {
    const id = await releaseAtCanary();
    const simulator = startSimulator({ baseUrl, token, releaseId: id, clock: t.clock, seed: 1, rps: 200, ackDelaySeconds: 2, autoTick: false });

    await simulator.tick();
    expect((await traffic(id)).acknowledgedPercent).toBe(0);
    await run(simulator, 1);
    // Not yet: the agent applies the percent two seconds after it saw it.
    expect((await traffic(id)).acknowledgedPercent).toBe(0);
    await run(simulator, 1);
    expect(await traffic(id)).toMatchObject({ desiredPercent: 10, acknowledgedPercent: 10 });
    await run(simulator, 10);

    const points = await t.db.metricPoint.findMany({ where: { releaseId: id } });
    const metrics = (cohort: string) => new Set(points.filter((p) => p.cohort === cohort).map((p) => p.metric));
    for (const cohort of ['canary', 'baseline']) {
      expect(metrics(cohort)).toEqual(
        new Set(['requests', 'errors', 'latency_p50_ms', 'latency_p95_ms', 'latency_p99_ms', 'health_ok', 'http_5xx_per_minute']),
      );
    }
    const requests = (cohort: string) =>
      points.filter((p) => p.cohort === cohort && p.metric === 'requests').reduce((sum, p) => sum + p.value, 0);
    expect(requests('canary') / (requests('canary') + requests('baseline'))).toBeGreaterThan(0.04);
    expect(requests('canary') / (requests('canary') + requests('baseline'))).toBeLessThan(0.16);
    expect(await t.db.metricHistogram.count({ where: { releaseId: id, cohort: 'canary', metric: 'latency_ms' } })).toBeGreaterThan(5);
    // One point per window, stamped on the test clock.
    const windows = points.filter((p) => p.cohort === 'baseline' && p.metric === 'requests').map((p) => p.ts.getTime());
    expect(windows).toHaveLength(12);
    expect(Math.max(...windows)).toBe(t.clock.now().getTime());

    // The series the dashboard reads shows the simulator's traffic.
    const series = await owner.get(`/api/releases/${id}/metrics?metric=requests&from=${t.clock.now().getTime() - 60_000}`);
    expect(series.statusCode, series.body).toBe(200);
    expect(series.json<{ canary: { v: number | null }[] }>().canary.some((p) => (p.v ?? 0) > 0)).toBe(true);

    await forceRamp(id);
    await run(simulator, 3);
    expect(await traffic(id)).toMatchObject({ desiredPercent: 50, acknowledgedPercent: 50 });
    expect(simulator.stats().acknowledged).toEqual([10, 50]);

    await act(id, 'rollback', { reason: 'test' });
    await run(simulator, 3);
    expect(await traffic(id)).toMatchObject({ state: 'rolled_back', acknowledgedPercent: 0 });
    await run(simulator, 1);
    await expect(simulator.done).resolves.toBe('finished');
    expect(simulator.stats().failures).toBe(0);
    const stored = await t.db.metricPoint.count({ where: { releaseId: id } });
    await run(simulator, 5);
    expect(await t.db.metricPoint.count({ where: { releaseId: id } })).toBe(stored);
  });

  it('stops on a 409 from the metrics route when the release finished behind its back', async () => {
    const id = await releaseAtCanary();
    const simulator = startSimulator({ baseUrl, token, releaseId: id, clock: t.clock, ackDelaySeconds: 0, autoTick: false });
    await run(simulator, 2);
    expect((await traffic(id)).acknowledgedPercent).toBe(10);
    // Finish the release between the simulator's traffic poll and its metrics push.
    const finishing = fetchHook(async (url) => {
      if (url.endsWith('/metrics')) await t.db.release.update({ where: { id }, data: { state: 'completed' } });
    });
    const hooked = startSimulator({ baseUrl, token, releaseId: id, clock: t.clock, ackDelaySeconds: 0, autoTick: false, fetch: finishing });
    await simulator.stop();
    await expect(simulator.done).resolves.toBe('stopped');
    await hooked.tick();
    t.clock.advance(1);
    await hooked.tick();
    await expect(hooked.done).resolves.toBe('finished');
  });

  it('reads the business metrics from the playbook and stops on a revoked token', async () => {
    const created = await owner.post('/api/releases', { service: 'pharmacy', version: '1.0.0', playbookId: await t.playbookId('pharmacy-canary') });
    const id = created.json<TRelease>().id;
    const issued = await owner.post('/api/tokens', { name: 'short-lived', scopes: ['metrics:write', 'traffic:ack', 'releases:read'] });
    const { token: shortLived, id: tokenId } = issued.json<{ token: string; id: string }>();
    const simulator = startSimulator({ baseUrl, token: shortLived, releaseId: id, clock: t.clock, autoTick: false });
    await run(simulator, 3);
    const metrics = new Set((await t.db.metricPoint.findMany({ where: { releaseId: id }, select: { metric: true } })).map((p) => p.metric));
    expect(metrics).toContain('order_creation_success_rate');
    expect(metrics).toContain('prescription_upload_dedup_rate');
    expect((await owner.delete(`/api/tokens/${tokenId}`)).statusCode).toBe(200);
    await run(simulator, 1);
    await expect(simulator.done).resolves.toBe('unauthorized');
  });
});

/** The real fetch, with a hook that runs before each request. */
function fetchHook(before: (url: string) => Promise<void>): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    await before(url);
    return fetch(input, init);
  };
}
