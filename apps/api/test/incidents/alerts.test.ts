// An alerting tool's webhook: a token with the incidents:write scope posts firing and resolved alerts in
// the common shape; a fingerprint opens one incident, however often it fires, and its resolve closes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TIncident, TPlaybookSpecInput, TRelease } from '@rampart/contracts';
import type { TClient, TTestApp } from '../support/test-app.js';
import { clientFor, startTestApp } from '../support/test-app.js';

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'canary', name: 'Canary', trafficPercent: 10, minBakeSeconds: 600 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
  ],
  incidentScale: 'SEV1-SEV4',
  incidentResponses: [{ kinds: ['incident'], severities: ['SEV1', 'SEV2'], action: 'rollback', page: true }],
  automation: { autoAdvance: false, autoPause: false, autoRollback: false },
};

let t: TTestApp;
let owner: TClient;
let tool: TClient;
let reader: TClient;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.as('admin');
  expect((await admin.post('/api/playbooks', { key: 'sev', name: 'SEV scale', spec: SPEC })).statusCode).toBe(201);
  owner = await t.as('owner');
  const writer = await owner.post('/api/tokens', { name: 'alertmanager', scopes: ['incidents:write'] });
  expect(writer.statusCode, writer.body).toBe(201);
  tool = clientFor(t.app, { authorization: `Bearer ${writer.json().token}` });
  const readOnly = await owner.post('/api/tokens', { name: 'dashboard', scopes: ['releases:read', 'releases:write'] });
  reader = clientFor(t.app, { authorization: `Bearer ${readOnly.json().token}` });
});
afterAll(async () => t.close());

async function running(service: string): Promise<TRelease> {
  const release = (await owner.post('/api/releases', { service, version: '2.0.0', playbookId: await t.playbookId('sev') })).json();
  const started = await owner.post(`/api/releases/${release.id}/actions/start`, { expectedRevision: release.revision });
  expect(started.statusCode, started.body).toBe(200);
  return started.json();
}

const incidents = async (id: string): Promise<TIncident[]> => (await owner.get(`/api/releases/${id}/incidents`)).json().incidents;

describe('the alert webhook', () => {
  it("opens one incident per fingerprint by the service's active release, acts once, and closes it on resolve", async () => {
    const release = await running('payments');
    const firing = {
      status: 'firing',
      service: 'payments',
      severity: 'SEV3',
      summary: 'Payment latency P95 above 800 ms',
      description: 'p95 at 1.2 s on the canary pods',
      link: 'https://grafana.example.com/d/payments',
      fingerprint: 'a1b2c3d4',
    };
    const first = await tool.post('/api/incidents/alerts', firing);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ releaseId: release.id, source: 'alert', severity: 'SEV3', title: 'Payment latency P95 above 800 ms', status: 'open', action: 'notify' });

    t.clock.advance(30);
    const repeat = await tool.post('/api/incidents/alerts', { ...firing, summary: 'changed words' });
    expect(repeat.statusCode, repeat.body).toBe(200);
    expect(repeat.json()).toEqual(first.json());
    expect(await incidents(release.id)).toHaveLength(1);

    const resolved = await tool.post('/api/incidents/alerts', { ...firing, status: 'resolved' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ id: first.json().id, status: 'resolved', resolvedAt: t.clock.now().toISOString() });
    expect((await incidents(release.id))[0]?.status).toBe('resolved');
    const unknown = await tool.post('/api/incidents/alerts', { ...firing, status: 'resolved', fingerprint: 'never-fired' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ field: 'body.fingerprint' });
  });

  it("rolls back on a severe alert by the playbook's response, and a resolve after the rollback still closes it", async () => {
    const release = await running('ledger');
    const firing = { status: 'firing', releaseId: release.id, severity: 'SEV1', summary: 'Ledger writes failing', fingerprint: 'ledger-writes' };
    const first = await tool.post('/api/incidents/alerts', firing);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().action).toBe('rollback');
    const after: TRelease = (await owner.get(`/api/releases/${release.id}`)).json();
    expect(after.state).toBe('rolling_back');
    const events = (await owner.get(`/api/releases/${release.id}/events`)).json().events as { type: string; reason: string | null }[];
    expect(events.find((e) => e.type === 'release.rollback_started')?.reason).toBe('SEV1 incident reported by owner@rampart.test (token alertmanager): Ledger writes failing');
    expect((await tool.post('/api/incidents/alerts', firing)).statusCode).toBe(200);
    const later = (await owner.get(`/api/releases/${release.id}/events`)).json().events as { type: string }[];
    expect(later.filter((e) => e.type === 'release.rollback_started')).toHaveLength(1);
    expect(later.filter((e) => e.type === 'incident.reported')).toHaveLength(1);

    // By service now: the release is no longer active, but the incident its alert opened is found.
    const resolved = await tool.post('/api/incidents/alerts', { ...firing, releaseId: undefined, service: 'ledger', status: 'resolved' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ id: first.json().id, status: 'resolved' });
    expect((await owner.get(`/api/releases/${release.id}`)).json().state).toBe('rolling_back');
  });

  it('names body.service when no release or several are active, and refuses an off-scale severity', async () => {
    const alert = { status: 'firing', severity: 'SEV2', summary: 'Down', fingerprint: 'f-1' };
    const none = await tool.post('/api/incidents/alerts', { ...alert, service: 'nothing-running' });
    expect(none.statusCode, none.body).toBe(404);
    expect(none.json()).toMatchObject({ field: 'body.service' });
    expect(none.json().message).toContain('nothing-running');

    await running('twins');
    await running('twins');
    const several = await tool.post('/api/incidents/alerts', { ...alert, service: 'twins' });
    expect(several.statusCode, several.body).toBe(409);
    expect(several.json().message).toContain('twins');

    const neither = await tool.post('/api/incidents/alerts', alert);
    expect(neither.statusCode).toBe(400);
    expect(neither.json()).toMatchObject({ field: 'body.releaseId' });

    const release = await running('scale');
    const off = await tool.post('/api/incidents/alerts', { ...alert, releaseId: release.id, severity: 'P1' });
    expect(off.statusCode, off.body).toBe(400);
    expect(off.json()).toMatchObject({ field: 'body.severity' });
    expect(off.json().message).toContain('SEV1, SEV2, SEV3, SEV4');
  });

  it('opens one incident when the same alert arrives twice at once', async () => {
    const release = await running('duplicates');
    const alert = { status: 'firing', releaseId: release.id, severity: 'SEV3', summary: 'Disk filling', fingerprint: 'disk-1' };
    const answers = await Promise.all([tool.post('/api/incidents/alerts', alert), tool.post('/api/incidents/alerts', alert)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 201]);
    expect(answers[0]?.json().id).toBe(answers[1]?.json().id);
    expect(await incidents(release.id)).toHaveLength(1);
  });

  it("takes an Alertmanager alert as the README's jq mapping makes it", async () => {
    const release = await running('storefront');
    const mapped = {
      status: 'firing',
      service: 'storefront',
      severity: 'SEV2',
      summary: 'HighErrorRate',
      description: '',
      link: 'http://prometheus:9090/graph?g0.expr=rate%28errors%5B5m%5D%29',
      fingerprint: '3f9a1c7e5b2d4a10',
      startsAt: '2026-03-02T09:58:00Z',
    };
    const fired = await tool.post('/api/incidents/alerts', mapped);
    expect(fired.statusCode, fired.body).toBe(201);
    expect(fired.json()).toMatchObject({ releaseId: release.id, startedAt: '2026-03-02T09:58:00.000Z', detail: '', action: 'rollback' });
    const resolved = await tool.post('/api/incidents/alerts', { ...mapped, status: 'resolved' });
    expect(resolved.json()).toMatchObject({ id: fired.json().id, status: 'resolved' });
  });

  it('is refused to a token without the incidents:write scope and to nobody logged in', async () => {
    const release = await running('guarded');
    const alert = { status: 'firing', releaseId: release.id, severity: 'SEV2', summary: 'Down', fingerprint: 'g-1' };
    expect((await reader.post('/api/incidents/alerts', alert)).statusCode).toBe(403);
    expect((await t.anonymous.post('/api/incidents/alerts', alert)).statusCode).toBe(401);
    expect(await incidents(release.id)).toEqual([]);
  });
});
