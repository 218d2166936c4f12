// Pause and roll back are the emergency buttons: they work whatever the autopilot's verdicts did to the
// revision meanwhile, and any release owner (on-call) may press them on any release. Moving a release
// forward stays its owner's (or an admin's) decision, under optimistic concurrency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlaybookSpecInput, TRelease } from '@rampart/contracts';
import type { TClient, TTestApp } from '../support/test-app.js';
import { clientFor, pipelineClient, startTestApp } from '../support/test-app.js';

/** A gate that flips with every window, and an autopilot that only records verdicts. */
const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 600 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
  ],
  gates: [
    {
      key: 'error-rate',
      name: 'Error rate above 1%',
      kind: 'threshold',
      metric: 'error_rate',
      comparator: 'above',
      value: 0.01,
      sustainSeconds: 0,
      minRequests: 100,
      severity: 'warn',
      stages: ['canary', 'full'],
    },
  ],
  automation: { autoAdvance: false, autoPause: false, autoRollback: false },
};

let t: TTestApp;
let owner: TClient;
let oncall: TClient;
let pipeline: TClient;

beforeAll(async () => {
  t = await startTestApp({ autopilotIntervalMs: 3_600_000 });
  const admin = await t.as('admin');
  expect((await admin.post('/api/playbooks', { key: 'flappy', name: 'Flappy', spec: SPEC })).statusCode).toBe(201);
  // A second release owner: the on-call engineer of another team.
  const created = await admin.post('/api/users', { email: 'oncall@rampart.test', name: 'On-call', password: 'on-call-password', role: 'release_owner' });
  expect(created.statusCode, created.body).toBe(201);
  const login = await t.anonymous.post('/api/auth/login', { email: 'oncall@rampart.test', password: 'on-call-password' });
  const cookie = login.cookies.find((c) => c.name === 'rampart_session');
  oncall = clientFor(t.app, { cookie: `rampart_session=${cookie!.value}` });
  owner = await t.as('owner');
  pipeline = await pipelineClient(t);
});
afterAll(async () => t.close());

async function atCanary(service: string): Promise<TRelease> {
  const created = (await owner.post('/api/releases', { service, version: '1.0.0', playbookId: await t.playbookId('flappy') })).json();
  const started = (await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision })).json();
  const ramped = await owner.post(`/api/releases/${created.id}/actions/ramp`, { expectedRevision: started.revision });
  expect(ramped.statusCode, ramped.body).toBe(200);
  return ramped.json();
}

/**
 * Ten-second windows of canary traffic, each judged by an autopilot pass, failing until the verdict
 * changes, then healthy until it changes back, and so on: `changes` verdict changes, each a new revision.
 */
async function flapVerdicts(releaseId: string, changes: number): Promise<TRelease> {
  let release: TRelease = (await owner.get(`/api/releases/${releaseId}`)).json();
  let failing = true;
  for (let done = 0, windows = 0; done < changes; windows++) {
    if (windows > 200) throw new Error(`only ${done} verdict changes in ${windows} windows`);
    t.clock.advance(10);
    const ts = t.clock.now().getTime() - 1;
    const points = [
      { ts, cohort: 'canary', metric: 'requests', value: 500 },
      { ts, cohort: 'canary', metric: 'errors', value: failing ? 50 : 0 },
      { ts, cohort: 'baseline', metric: 'requests', value: 9500 },
      { ts, cohort: 'baseline', metric: 'errors', value: 38 },
    ];
    expect((await pipeline.post(`/api/releases/${releaseId}/metrics`, { points })).statusCode).toBe(202);
    await t.app.autopilot!.tick();
    const now: TRelease = (await owner.get(`/api/releases/${releaseId}`)).json();
    if (now.revision > release.revision) {
      done++;
      failing = !failing;
    }
    release = now;
  }
  return release;
}

async function eventTypes(releaseId: string): Promise<string[]> {
  return (await owner.get(`/api/releases/${releaseId}/events?limit=200`)).json().events.map((e: { type: string }) => e.type);
}

describe('emergency actions', () => {
  it('pauses on the revision the owner saw, though the autopilot recorded verdicts since', async () => {
    const seen = await atCanary('pause-while-judged');
    const judged = await flapVerdicts(seen.id, 6);
    expect(judged.revision).toBeGreaterThan(seen.revision + 2);
    expect((await eventTypes(seen.id)).filter((type) => type === 'gate.verdict_changed').length).toBeGreaterThan(2);

    const paused = await owner.post(`/api/releases/${seen.id}/actions/pause`, { expectedRevision: seen.revision, reason: 'Errors in the canary' });
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json()).toMatchObject({ state: 'paused', revision: judged.revision + 1 });

    // Pressing it again on the fresh revision changes nothing and says so with the release.
    const again = await owner.post(`/api/releases/${seen.id}/actions/pause`, { expectedRevision: paused.json().revision });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ state: 'paused', revision: paused.json().revision });
    expect((await eventTypes(seen.id)).filter((type) => type === 'release.paused')).toHaveLength(1);

    // Resume is an intent too: verdicts recorded while paused do not stand in its way.
    const whilePaused = await flapVerdicts(seen.id, 3);
    expect(whilePaused.revision).toBeGreaterThan(paused.json().revision);
    const resumed = await owner.post(`/api/releases/${seen.id}/actions/resume`, { expectedRevision: paused.json().revision });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json().state).toBe('running');
  });

  it('rolls back on a stale revision, and another person changing the course since is still a conflict that names them', async () => {
    const seen = await atCanary('rollback-while-judged');
    await flapVerdicts(seen.id, 4);
    const paused = await oncall.post(`/api/releases/${seen.id}/actions/pause`, { expectedRevision: seen.revision, reason: 'Paging alert' });
    expect(paused.statusCode, paused.body).toBe(200);

    // The owner still looks at the running release: someone paused it since.
    const stale = await owner.post(`/api/releases/${seen.id}/actions/pause`, { expectedRevision: seen.revision });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'stale_revision', release: { state: 'paused' } });
    expect(stale.json().message).toContain('oncall@rampart.test');

    await flapVerdicts(seen.id, 3);
    const rolledBack = await owner.post(`/api/releases/${seen.id}/actions/rollback`, { expectedRevision: paused.json().revision, reason: 'Bad build' });
    expect(rolledBack.statusCode, rolledBack.body).toBe(200);
    expect(rolledBack.json()).toMatchObject({ state: 'rolling_back', desiredPercent: 0 });
    // Already rolling back: a second press answers the release, unchanged.
    const twice = await owner.post(`/api/releases/${seen.id}/actions/rollback`, { expectedRevision: rolledBack.json().revision });
    expect(twice.statusCode).toBe(200);
    expect(twice.json().revision).toBe(rolledBack.json().revision);
  });

  it('keeps optimistic concurrency for ramp: a verdict since the revision the owner saw is a conflict', async () => {
    const seen = await atCanary('ramp-while-judged');
    await flapVerdicts(seen.id, 2);
    const ramp = await owner.post(`/api/releases/${seen.id}/actions/ramp`, { expectedRevision: seen.revision, force: true, reason: 'test' });
    expect(ramp.statusCode).toBe(409);
    expect(ramp.json().error).toBe('stale_revision');
  });
});

describe("acting on another owner's release", () => {
  it('lets any release owner pause and roll back, and only its owner or an admin move it forward', async () => {
    const release = await atCanary('someone-elses');
    const ramp = await oncall.post(`/api/releases/${release.id}/actions/ramp`, { expectedRevision: release.revision, force: true, reason: 'Looks fine to me' });
    expect(ramp.statusCode).toBe(403);
    expect(ramp.json().message).toMatch(/owner or an admin/);
    const complete = await oncall.post(`/api/releases/${release.id}/actions/complete`, { expectedRevision: release.revision });
    expect(complete.statusCode).toBe(403);

    const paused = await oncall.post(`/api/releases/${release.id}/actions/pause`, { expectedRevision: release.revision, reason: 'On-call: alert fired' });
    expect(paused.statusCode, paused.body).toBe(200);
    const resumed = await oncall.post(`/api/releases/${release.id}/actions/resume`, { expectedRevision: paused.json().revision });
    expect(resumed.statusCode).toBe(403);
    const rolledBack = await oncall.post(`/api/releases/${release.id}/actions/rollback`, { expectedRevision: paused.json().revision, reason: 'On-call: roll back' });
    expect(rolledBack.statusCode, rolledBack.body).toBe(200);
    expect(rolledBack.json().state).toBe('rolling_back');

    const other = await atCanary('admin-may');
    const admin = await t.as('admin');
    const byAdmin = await admin.post(`/api/releases/${other.id}/actions/ramp`, { expectedRevision: other.revision, force: true, reason: 'Admin override' });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
  });
});
