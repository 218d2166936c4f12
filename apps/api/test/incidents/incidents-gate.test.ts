// Seed 000's rule "no new SEV1/SEV2 incidents in 1 hour after each ramp" as a gate fed by incidents: the
// autopilot judges it with the metric gates, rolls back when it fails, and lets it pass once the hour is over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAnalysis, TPlaybookSpecInput, TRelease } from '@rampart/contracts';
import type { TClient, TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    { key: 'canary', name: 'Canary', trafficPercent: 1, minBakeSeconds: 600 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
  ],
  gates: [
    {
      key: 'no-new-incidents',
      name: 'No new SEV1/SEV2 incidents in 1 hour after each ramp',
      kind: 'incidents',
      severities: ['SEV1', 'SEV2'],
      windowSeconds: 3600,
      severity: 'rollback',
      stages: ['canary', 'full'],
    },
  ],
  incidentScale: 'SEV1-SEV4',
  // No response of its own: the gate alone decides, through the autopilot.
  incidentResponses: [],
  automation: { autoAdvance: false, autoPause: true, autoRollback: true },
};

let t: TTestApp;
let owner: TClient;
let support: TClient;

beforeAll(async () => {
  t = await startTestApp({ autopilotIntervalMs: 3_600_000 });
  const admin = await t.as('admin');
  const playbook = await admin.post('/api/playbooks', { key: 'seed-000-incidents', name: 'Incidents gate', spec: SPEC });
  expect(playbook.statusCode, playbook.body).toBe(201);
  owner = await t.as('owner');
  support = await t.as('support');
});
afterAll(async () => t.close());

async function started(service: string): Promise<TRelease> {
  const release = (await owner.post('/api/releases', { service, version: '3.1.0', playbookId: await t.playbookId('seed-000-incidents') })).json();
  const response = await owner.post(`/api/releases/${release.id}/actions/start`, { expectedRevision: release.revision });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function ramp(release: TRelease): Promise<TRelease> {
  const response = await owner.post(`/api/releases/${release.id}/actions/ramp`, { expectedRevision: release.revision });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const read = async (id: string): Promise<TRelease> => (await owner.get(`/api/releases/${id}`)).json();

async function gateVerdict(id: string): Promise<string | undefined> {
  const analysis: TAnalysis | null = (await owner.get(`/api/releases/${id}/analysis`)).json().analysis;
  return analysis?.gates.find((gate) => gate.key === 'no-new-incidents')?.verdict;
}

describe('the incidents gate in the autopilot', () => {
  it('fails after a SEV2 incident at the canary, and the autopilot rolls the release back', async () => {
    const release = await ramp(await started('api-gateway'));
    t.clock.advance(60);
    await t.app.autopilot!.tick();
    expect(await gateVerdict(release.id)).toBe('inconclusive');
    expect((await read(release.id)).state).toBe('running');

    const reported = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'SEV2', title: 'Gateway 502s for EU users' });
    expect(reported.statusCode, reported.body).toBe(201);
    // The playbook's own response is only to notify: nothing moves until the autopilot judges.
    expect(reported.json().action).toBe('notify');
    expect((await read(release.id)).state).toBe('running');

    t.clock.advance(10);
    await t.app.autopilot!.tick();
    const after = await read(release.id);
    expect(after).toMatchObject({ state: 'rolling_back', desiredPercent: 0 });
    const events = (await owner.get(`/api/releases/${release.id}/events`)).json().events as { type: string; actor: { name: string }; reason: string | null; data: Record<string, unknown> }[];
    const rollback = events.find((e) => e.type === 'release.rollback_started');
    expect(rollback).toMatchObject({ actor: { name: 'autopilot' }, data: { automatic: true } });
    expect(rollback?.reason).toMatch(/No new SEV1\/SEV2 incidents/);
    const verdict = events.find((e) => e.type === 'gate.verdict_changed' && e.data['to'] === 'fail');
    expect(verdict?.data['summary']).toMatch(/SEV2 incident since entering the stage: Gateway 502s for EU users/);
  });

  it('holds the ramp while its hour runs, passes once it is over, and does not count an incident of an earlier stage', async () => {
    const release = await started('search-api');
    // At staging (which the gate does not judge) a SEV1 that was dealt with before the ramp.
    const earlier = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'SEV1', title: 'Staging index stale' });
    expect(earlier.statusCode, earlier.body).toBe(201);
    t.clock.advance(60);
    const canary = await ramp(await read(release.id));

    t.clock.advance(1800);
    await t.app.autopilot!.tick();
    expect(await gateVerdict(release.id)).toBe('inconclusive');
    const held = (await read(release.id)).actions.find((a) => a.action === 'ramp');
    expect(held?.blockers.map((b) => b.kind)).toContain('gate_inconclusive');

    // A minor incident does not count for a SEV1/SEV2 gate.
    await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'SEV4', title: 'Typo in a tooltip' });
    t.clock.advance(1801);
    await t.app.autopilot!.tick();
    expect(await gateVerdict(release.id)).toBe('pass');
    const now = await read(release.id);
    expect(now).toMatchObject({ state: 'running', currentStage: { key: 'canary' } });
    expect(now.actions.find((a) => a.action === 'ramp')).toMatchObject({ allowed: true });
    expect(now.revision).toBeGreaterThan(canary.revision);
  });
});
