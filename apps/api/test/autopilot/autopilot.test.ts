// The autopilot end to end on a real database: points pushed through the API, the clock moved by
// hand, one pass per 10 seconds of clock, as the loop runs them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlaybookSpecInput, TRelease } from '@rampart/contracts';
import type { TClient, TTestApp } from '../support/test-app.js';
import { pipelineClient, startTestApp } from '../support/test-app.js';
import { evaluateRelease } from '../../src/autopilot/evaluate-release.js';
import { until } from '../support/until.js';

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    // A one-minute warm-up: the breaches below start after it, so the sustain window alone decides when they act.
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 600, initialDelaySeconds: 60 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 600 },
  ],
  gates: [
    {
      key: 'error-rate',
      name: 'Error rate above 1% for 2 minutes',
      kind: 'threshold',
      metric: 'error_rate',
      comparator: 'above',
      value: 0.01,
      sustainSeconds: 120,
      minRequests: 100,
      severity: 'rollback',
      stages: ['canary', 'full'],
    },
  ],
  automation: { autoAdvance: true, autoPause: true, autoRollback: true },
};

let t: TTestApp;
let owner: TClient;
let pipeline: TClient;

beforeAll(async () => {
  t = await startTestApp({ autopilotIntervalMs: 3_600_000 });
  const admin = await t.as('admin');
  await admin.post('/api/playbooks', { key: 'auto', name: 'Auto', spec: SPEC });
  owner = await t.as('owner');
  pipeline = await pipelineClient(t);
});
afterAll(async () => t.close());

async function startedAtCanary(service: string): Promise<TRelease> {
  const created = (await owner.post('/api/releases', { service, version: '1.0.0', playbookId: await t.playbookId('auto') })).json();
  const started = (await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision })).json();
  const ramped = await owner.post(`/api/releases/${created.id}/actions/ramp`, { expectedRevision: started.revision });
  expect(ramped.statusCode, ramped.body).toBe(200);
  return ramped.json();
}

/** Ten seconds of traffic ending now: the canary at `errorRate`, the baseline healthy. */
async function pushWindow(releaseId: string, errorRate: number) {
  const ts = t.clock.now().getTime() - 1;
  const points = [
    { ts, cohort: 'canary', metric: 'requests', value: 500 },
    { ts, cohort: 'canary', metric: 'errors', value: Math.round(500 * errorRate) },
    { ts, cohort: 'baseline', metric: 'requests', value: 9500 },
    { ts, cohort: 'baseline', metric: 'errors', value: 38 },
  ];
  const response = await pipeline.post(`/api/releases/${releaseId}/metrics`, { points });
  expect(response.statusCode, response.body).toBe(202);
}

/** Moves the clock in 10-second steps, pushing a window and running one autopilot pass at each. */
async function run(releaseId: string, seconds: number, errorRate: number, until?: (release: TRelease) => boolean) {
  for (let elapsed = 0; elapsed < seconds; elapsed += 10) {
    t.clock.advance(10);
    await pushWindow(releaseId, errorRate);
    await t.app.autopilot!.tick();
    const release: TRelease = (await owner.get(`/api/releases/${releaseId}`)).json();
    if (until?.(release)) return { release, elapsed: elapsed + 10 };
  }
  return { release: (await owner.get(`/api/releases/${releaseId}`)).json() as TRelease, elapsed: seconds };
}

describe('the autopilot', () => {
  it('ramps a healthy canary once its bake is over, and not before', async () => {
    const release = await startedAtCanary('healthy');
    const before = await run(release.id, 590, 0.004);
    expect(before.release.currentStage?.key).toBe('canary');
    expect(before.release.actions.find((a) => a.action === 'ramp')?.blockers.map((b) => b.kind)).toEqual(['bake_time']);
    const judged = (await t.anonymous.get('/api/status')).json();
    expect(judged.active).toContainEqual(expect.objectContaining({ id: release.id, health: 'healthy' }));
    const after = await run(release.id, 30, 0.004, (r) => r.currentStage?.key === 'full');
    expect(after.release).toMatchObject({ state: 'running', currentStage: { key: 'full' }, desiredPercent: 100 });
    const ramp = (await owner.get(`/api/releases/${release.id}/events`)).json().events.find((e: { type: string }) => e.type === 'release.ramped');
    expect(ramp).toMatchObject({ actor: { name: 'autopilot', id: null }, data: { automatic: true, toStage: 'full' } });
    expect(ramp.reason).toMatch(/Automatic ramp to Everyone/);
  });

  it('rolls back once a breach has held for the sustain window, with the evidence, and not before', async () => {
    const release = await startedAtCanary('breaching');
    await run(release.id, 60, 0.004);
    const breach = await run(release.id, 300, 0.05, (r) => r.state !== 'running');
    expect(breach.release.state).toBe('rolling_back');
    expect(breach.release.desiredPercent).toBe(0);
    // The status page is read from the database at most every STATUS_CACHE_MS (2 s) per instance.
    let status: { summary: string; active: unknown[] } = { summary: '', active: [] };
    await until('the status page to show the rollback', async () => {
      status = (await t.anonymous.get('/api/status')).json();
      return status.summary === 'rolling_back';
    }, 15_000);
    expect(status.summary).toBe('rolling_back');
    expect(status.active).toContainEqual(expect.objectContaining({ id: release.id, health: 'degraded' }));
    // Sustained for 120 s: the breach is complete at the 12th or 13th window (bins are 10 s), not earlier.
    expect(breach.elapsed).toBeGreaterThanOrEqual(120);
    expect(breach.elapsed).toBeLessThanOrEqual(140);
    const events = (await owner.get(`/api/releases/${release.id}/events`)).json().events;
    const rollback = events.find((e: { type: string }) => e.type === 'release.rollback_started');
    expect(rollback).toMatchObject({ actor: { name: 'autopilot' }, reason: expect.stringMatching(/Automatic rollback: Error rate above 1%/) });
    expect(rollback.data.evidence[0]).toMatchObject({ key: 'error-rate', verdict: 'fail', evidence: { threshold: 0.01 } });
    expect(events.some((e: { type: string; data: { to?: string } }) => e.type === 'gate.verdict_changed' && e.data.to === 'fail')).toBe(true);
  });

  it('is not tripped by a spike shorter than the sustain window', async () => {
    const release = await startedAtCanary('spiky');
    await run(release.id, 60, 0.004);
    await run(release.id, 60, 0.08);
    const { release: after } = await run(release.id, 120, 0.004);
    expect(after.state).toBe('running');
  });

  it('rolls back a release a person paused when a rollback trigger fires, once', async () => {
    const release = await startedAtCanary('paused');
    await run(release.id, 30, 0.004);
    const current = (await owner.get(`/api/releases/${release.id}`)).json();
    await owner.post(`/api/releases/${release.id}/actions/pause`, { expectedRevision: current.revision, reason: 'Investigating' });
    // Under the sustain window the pause holds; once the breach has held for it, the trigger rolls back.
    const paused = await run(release.id, 100, 0.2);
    expect(paused.release.state).toBe('paused');
    const { release: after } = await run(release.id, 120, 0.2);
    expect(after.state).toBe('rolling_back');
    const analysis = (await owner.get(`/api/releases/${release.id}/analysis`)).json().analysis;
    expect(analysis).toMatchObject({ verdict: 'fail', stage: 'canary' });
    expect(analysis.gates[0]).toMatchObject({ key: 'error-rate', verdict: 'fail' });
    await t.app.autopilot!.tick();
    const events = (await owner.get(`/api/releases/${release.id}/events?limit=200`)).json().events;
    expect(events.filter((e: { type: string }) => e.type === 'release.rollback_started')).toHaveLength(1);
  });

  it('says once, at the evaluation that crosses it, that the bake time ended (so dashboards get the release again)', async () => {
    const release = await startedAtCanary('bake-end');
    const deps = { db: t.db, clock: t.clock };
    t.clock.advance(590);
    expect((await evaluateRelease(deps, release.id))?.bakeJustEnded).toBe(false);
    t.clock.advance(20);
    expect((await evaluateRelease(deps, release.id))?.bakeJustEnded).toBe(true);
    t.clock.advance(10);
    expect((await evaluateRelease(deps, release.id))?.bakeJustEnded).toBe(false);
  });

  it('raises needs-attention once, with a webhook, when a stage outstays its maximum bake time', async () => {
    const admin = await t.as('admin');
    const spec: TPlaybookSpecInput = {
      stages: [
        { key: 'canary', name: 'Canary', trafficPercent: 1, minBakeSeconds: 60, maxBakeSeconds: 120 },
        { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
      ],
    };
    expect((await admin.post('/api/playbooks', { key: 'overdue', name: 'Overdue', spec })).statusCode).toBe(201);
    const hook = await admin.post('/api/webhooks', { url: 'https://hooks.example.com/rampart', secret: 'whsec-test-secret-0123456789abcdef', events: ['release.needs_attention'] });
    expect(hook.statusCode, hook.body).toBe(201);
    const created = (await owner.post('/api/releases', { service: 'overdue', version: '1.0.0', playbookId: await t.playbookId('overdue') })).json();
    const started = await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision });
    expect(started.statusCode, started.body).toBe(200);
    const deps = { db: t.db, clock: t.clock };
    const attention = async () =>
      (await owner.get(`/api/releases/${created.id}/events?limit=200`)).json().events.filter((e: { type: string }) => e.type === 'release.needs_attention');
    t.clock.advance(110);
    await evaluateRelease(deps, created.id);
    expect(await attention()).toHaveLength(0);
    t.clock.advance(20);
    await evaluateRelease(deps, created.id);
    const raised = await attention();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ actor: { name: 'autopilot' }, data: { reason: 'max_bake_exceeded', stage: 'canary' } });
    t.clock.advance(60);
    await evaluateRelease(deps, created.id);
    expect(await attention()).toHaveLength(1);
    const deliveries = await t.db.webhookDelivery.count({ where: { webhookId: hook.json().id, eventType: 'release.needs_attention' } });
    expect(deliveries).toBe(1);
  });
});
