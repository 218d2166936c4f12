// Problems reported by people: support (a viewer) reports, the playbook decides, Rampart acts. Through the
// HTTP API on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TIncident, TPlaybookSpecInput, TRelease } from '@rampart/contracts';
import type { TClient, TTestApp } from '../support/test-app.js';
import { clientFor, startTestApp } from '../support/test-app.js';

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 600 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 600 },
  ],
  incidentScale: 'P0-P3',
  incidentResponses: [
    { kinds: ['security'], action: 'rollback', page: true },
    { kinds: ['incident'], severities: ['P0', 'P1'], action: 'rollback', page: true },
    { kinds: ['incident'], severities: ['P2'], action: 'pause' },
    { kinds: ['user_reports'], action: 'hold' },
  ],
  automation: { autoAdvance: false, autoPause: false, autoRollback: false },
};

interface TEvent {
  type: string;
  actor: { name: string; id: string | null };
  reason: string | null;
  data: Record<string, unknown>;
}

let t: TTestApp;
let owner: TClient;
let support: TClient;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.as('admin');
  const playbook = await admin.post('/api/playbooks', { key: 'incident-aware', name: 'Incident aware', spec: SPEC });
  expect(playbook.statusCode, playbook.body).toBe(201);
  owner = await t.as('owner');
  support = await t.as('support');
});
afterAll(async () => t.close());

async function created(service: string): Promise<TRelease> {
  const response = await owner.post('/api/releases', { service, version: '1.0.0', playbookId: await t.playbookId('incident-aware') });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function atCanary(service: string): Promise<TRelease> {
  const release = await created(service);
  const started = (await owner.post(`/api/releases/${release.id}/actions/start`, { expectedRevision: release.revision })).json();
  const ramped = await owner.post(`/api/releases/${release.id}/actions/ramp`, { expectedRevision: started.revision });
  expect(ramped.statusCode, ramped.body).toBe(200);
  return ramped.json();
}

const read = async (id: string): Promise<TRelease> => (await owner.get(`/api/releases/${id}`)).json();
const events = async (id: string): Promise<TEvent[]> => (await owner.get(`/api/releases/${id}/events`)).json().events;

describe('a problem reported by support', () => {
  it('rolls the release back when the playbook says so, though support cannot press rollback, and names it in the reason', async () => {
    const release = await atCanary('checkout');
    const pressed = await support.post(`/api/releases/${release.id}/actions/rollback`, { expectedRevision: release.revision });
    expect(pressed.statusCode).toBe(403);

    const reported = await support.post(`/api/releases/${release.id}/incidents`, {
      kind: 'security',
      title: 'Session tokens visible in logs',
      detail: 'Found in the canary pod logs: Bearer eyJ... (private)',
      handler: 'Dana from security',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const incident: TIncident = reported.json();
    expect(incident).toMatchObject({ kind: 'security', severity: null, status: 'open', source: 'person', reportedBy: 'support@rampart.test', action: 'rollback', handler: 'Dana from security' });
    expect(incident.startedAt).toBe(t.clock.now().toISOString());

    const after = await read(release.id);
    expect(after).toMatchObject({ state: 'rolling_back', desiredPercent: 0 });
    const log = await events(release.id);
    const rollback = log.find((e) => e.type === 'release.rollback_started');
    expect(rollback).toMatchObject({ actor: { name: 'Rampart', id: null }, reason: 'Security problem reported by support@rampart.test: Session tokens visible in logs' });
    expect(rollback?.data).toMatchObject({ incidentId: incident.id, automatic: true });
    const report = log.find((e) => e.type === 'incident.reported');
    expect(report).toMatchObject({ actor: { name: 'support@rampart.test' }, data: { incidentId: incident.id, kind: 'security', severity: null, title: 'Session tokens visible in logs', action: 'rollback', page: true } });
    // The private detail stays out of the event log (and so out of webhooks and the status page).
    expect(JSON.stringify(log)).not.toContain('eyJ');
  });

  it('pauses a running release on a P2, and a second report while paused acts no more', async () => {
    const release = await atCanary('search');
    const first = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P2', title: 'Slow search results' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().action).toBe('pause');
    expect((await read(release.id)).state).toBe('paused');
    const pause = (await events(release.id)).find((e) => e.type === 'release.paused');
    expect(pause?.reason).toBe('P2 incident reported by support@rampart.test: Slow search results');

    const second = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P2', title: 'Still slow' });
    expect(second.statusCode, second.body).toBe(201);
    expect((await events(release.id)).filter((e) => e.type === 'release.paused')).toHaveLength(1);
  });

  it('records a problem whose response is to hold or notify without moving the release, and a report during a rollback', async () => {
    const release = await atCanary('profile');
    const held = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'user_reports', title: 'Avatars missing for some users' });
    expect(held.json()).toMatchObject({ action: 'hold' });
    t.clock.advance(1);
    const noted = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P3', title: 'Typo on the banner' });
    expect(noted.json()).toMatchObject({ action: 'notify' });
    expect(await read(release.id)).toMatchObject({ state: 'running', desiredPercent: 5 });

    t.clock.advance(1);
    const p1 = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P1', title: 'Checkout failing' });
    expect((await read(release.id)).state).toBe('rolling_back');
    // Already rolling back: the report is recorded; the refusal to roll back twice is no error.
    t.clock.advance(1);
    const again = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P0', title: 'Checkout down' });
    expect(again.statusCode, again.body).toBe(201);
    expect((await events(release.id)).filter((e) => e.type === 'release.rollback_started')).toHaveLength(1);

    const list = await support.get(`/api/releases/${release.id}/incidents`);
    expect(list.statusCode).toBe(200);
    expect(list.json().incidents.map((i: TIncident) => i.title)).toEqual(['Checkout down', 'Checkout failing', 'Typo on the banner', 'Avatars missing for some users']);
    expect(list.json().incidents[1].id).toBe(p1.json().id);
  });

  it('records every one of several reports made at once, and rolls back once', async () => {
    const release = await atCanary('storm');
    const reports = await Promise.all(
      ['Checkout failing', 'Payments timing out', 'Cart empty', 'Login loops'].map((title) =>
        support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P1', title }),
      ),
    );
    expect(reports.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    expect((await support.get(`/api/releases/${release.id}/incidents`)).json().incidents).toHaveLength(4);
    const log = await events(release.id);
    expect(log.filter((e) => e.type === 'incident.reported')).toHaveLength(4);
    expect(log.filter((e) => e.type === 'release.rollback_started')).toHaveLength(1);
  });

  it('refuses a severity off the playbook scale and an incident without one, naming body.severity', async () => {
    const release = await atCanary('billing');
    const off = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'SEV2', title: 'Invoices wrong' });
    expect(off.statusCode, off.body).toBe(400);
    expect(off.json()).toMatchObject({ field: 'body.severity' });
    expect(off.json().message).toContain('P0, P1, P2, P3');
    const none = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', title: 'Invoices wrong' });
    expect(none.statusCode, none.body).toBe(400);
    expect(none.json()).toMatchObject({ field: 'body.severity' });
    const unknown = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P9', title: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect((await support.get(`/api/releases/${release.id}/incidents`)).json().incidents).toEqual([]);
    expect((await read(release.id)).state).toBe('running');
  });

  it('refuses a report on a release not started or finished with 409 naming its state', async () => {
    // With no checklist nor sign-off before its start, it is ready at once.
    const draft = await created('drafty');
    expect(draft.state).toBe('ready');
    const early = await support.post(`/api/releases/${draft.id}/incidents`, { kind: 'security', title: 'Leak' });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json()).toMatchObject({ state: 'ready', release: { id: draft.id } });
    expect(early.json().message).toMatch(/ready: it has not started/);

    const aborted = await owner.post(`/api/releases/${draft.id}/actions/abort`, { expectedRevision: draft.revision });
    expect(aborted.statusCode, aborted.body).toBe(200);
    const late = await support.post(`/api/releases/${draft.id}/incidents`, { kind: 'security', title: 'Leak' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ state: 'aborted' });
    expect(late.json().message).toMatch(/aborted/);
  });

  it('answers 404 for an unknown release, and 401 without a login', async () => {
    const missing = await support.post('/api/releases/00000000-0000-4000-8000-000000000000/incidents', { kind: 'security', title: 'Leak' });
    expect(missing.statusCode).toBe(404);
    expect((await support.get('/api/releases/00000000-0000-4000-8000-000000000000/incidents')).statusCode).toBe(404);
    expect((await t.anonymous.post('/api/releases/00000000-0000-4000-8000-000000000000/incidents', { kind: 'security', title: 'Leak' })).statusCode).toBe(401);
  });

  it('refuses a token without the incidents:write scope, and takes one with it', async () => {
    const release = await atCanary('tokens');
    const readOnly = await owner.post('/api/tokens', { name: 'reader', scopes: ['releases:read'] });
    const writer = await owner.post('/api/tokens', { name: 'incident tool', scopes: ['incidents:write'] });
    const reader = clientFor(t.app, { authorization: `Bearer ${readOnly.json().token}` });
    const tool = clientFor(t.app, { authorization: `Bearer ${writer.json().token}` });
    const body = { kind: 'incident', severity: 'P3', title: 'Minor' };
    expect((await reader.post(`/api/releases/${release.id}/incidents`, body)).statusCode).toBe(403);
    const reported = await tool.post(`/api/releases/${release.id}/incidents`, body);
    expect(reported.statusCode, reported.body).toBe(201);
    expect(reported.json().reportedBy).toBe('owner@rampart.test (token incident tool)');
    expect((await tool.get(`/api/releases/${release.id}/incidents`)).statusCode).toBe(200);
  });
});

describe('an incident moved along', () => {
  it('goes open, mitigated, resolved with its times, and never back; resolving leaves the rollback done', async () => {
    const release = await atCanary('orders');
    const incident: TIncident = (await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P1', title: 'Orders lost' })).json();
    expect((await read(release.id)).state).toBe('rolling_back');
    const url = `/api/releases/${release.id}/incidents/${incident.id}`;

    t.clock.advance(60);
    const mitigated = await support.patch(url, { status: 'mitigated', handler: 'Kim', publicNote: 'Orders are being replayed.' });
    expect(mitigated.statusCode, mitigated.body).toBe(200);
    expect(mitigated.json()).toMatchObject({ status: 'mitigated', handler: 'Kim', publicNote: 'Orders are being replayed.', mitigatedAt: t.clock.now().toISOString(), resolvedAt: null });

    t.clock.advance(60);
    const resolved = await support.patch(url, { status: 'resolved' });
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedAt: t.clock.now().toISOString(), action: 'rollback' });
    expect(await read(release.id)).toMatchObject({ state: 'rolling_back', desiredPercent: 0 });

    const back = await support.patch(url, { status: 'open' });
    expect(back.statusCode, back.body).toBe(409);
    expect(back.json().message).toMatch(/resolved/);
    const updates = (await events(release.id)).filter((e) => e.type === 'incident.updated');
    expect(updates.map((e) => e.data['status'])).toEqual(['resolved', 'mitigated']);
    expect(updates[1]).toMatchObject({ actor: { name: 'support@rampart.test' }, data: { incidentId: incident.id, changed: ['status', 'handler', 'publicNote'] } });
  });

  it('carries out a stronger response when triage raises the severity', async () => {
    const release = await atCanary('cart');
    const incident: TIncident = (await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P3', title: 'Cart flickers' })).json();
    expect(incident.action).toBe('notify');
    const raised = await support.patch(`/api/releases/${release.id}/incidents/${incident.id}`, { severity: 'P1' });
    expect(raised.statusCode, raised.body).toBe(200);
    expect(raised.json()).toMatchObject({ severity: 'P1', action: 'rollback' });
    expect((await read(release.id)).state).toBe('rolling_back');
    const rollback = (await events(release.id)).find((e) => e.type === 'release.rollback_started');
    expect(rollback?.reason).toBe('P1 incident, re-graded by support@rampart.test: Cart flickers');
  });

  it('refuses an off-scale severity, and answers 404 for an unknown incident or one of another release', async () => {
    const one = await atCanary('one');
    const other = await atCanary('other');
    const incident: TIncident = (await support.post(`/api/releases/${one.id}/incidents`, { kind: 'other', title: 'Odd' })).json();
    const off = await support.patch(`/api/releases/${one.id}/incidents/${incident.id}`, { severity: 'SEV1' });
    expect(off.statusCode).toBe(400);
    expect(off.json()).toMatchObject({ field: 'body.severity' });
    expect((await support.patch(`/api/releases/${other.id}/incidents/${incident.id}`, { status: 'resolved' })).statusCode).toBe(404);
    expect((await support.patch(`/api/releases/${one.id}/incidents/00000000-0000-4000-8000-000000000000`, { status: 'resolved' })).statusCode).toBe(404);
    expect((await support.patch(`/api/releases/${one.id}/incidents/${incident.id}`, {})).statusCode).toBe(400);
  });
});
