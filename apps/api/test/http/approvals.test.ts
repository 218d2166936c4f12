import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRelease } from '@rampart/contracts';
import { TEST_PLAYBOOK_SPEC, createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

let t: TTestApp;
let twoEngineersPlaybook: string;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.as('admin');
  const spec = { ...TEST_PLAYBOOK_SPEC, approvalsBeforeStart: [{ role: 'engineering', count: 2 }], checklist: [] };
  twoEngineersPlaybook = (await admin.post('/api/playbooks', { key: 'two-engineers', name: 'Two engineers', spec })).json().id;
  // A second engineering approver, so two different people can sign.
  await admin.post('/api/users', { email: 'eng2@rampart.test', name: 'Second Engineer', password: 'rampart-2', role: 'approver', approvalRoles: ['engineering'] });
});
afterAll(async () => t.close());

async function loginAs(email: string, password: string) {
  const response = await t.anonymous.post('/api/auth/login', { email, password });
  return { cookie: `rampart_session=${response.cookies.find((c) => c.name === 'rampart_session')?.value}` };
}

function required(release: TRelease) {
  return release.approvals.required.find((r) => r.role === 'engineering' && r.stageKey === null);
}

describe('sign-offs', () => {
  it('need as many different approvers as the playbook asks for; one person signing twice counts once', async () => {
    const eng = await t.as('eng');
    const release = await createTestRelease(t, twoEngineersPlaybook);
    await eng.post(`/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'approve' });
    const twice = (await eng.post(`/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'approve', comment: 'again' })).json();
    expect(twice.state).toBe('draft');
    expect(required(twice)).toMatchObject({ count: 2, satisfied: false, approvedBy: [{ email: 'eng@rampart.test' }] });
    expect(twice.approvals.decisions).toHaveLength(1);

    const second = await t.app.inject({
      method: 'POST',
      url: `/api/releases/${release.id}/approvals`,
      headers: await loginAs('eng2@rampart.test', 'rampart-2'),
      payload: { role: 'engineering', decision: 'approve' },
    });
    expect(second.json()).toMatchObject({ state: 'ready' });
  });

  it('a rejection blocks until its author supersedes it, and sends a ready release back to draft', async () => {
    const eng = await t.as('eng');
    const eng2 = await loginAs('eng2@rampart.test', 'rampart-2');
    const release = await createTestRelease(t, twoEngineersPlaybook);
    await eng.post(`/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'approve' });
    const sign = (decision: string, comment?: string) =>
      t.app.inject({ method: 'POST', url: `/api/releases/${release.id}/approvals`, headers: eng2, payload: { role: 'engineering', decision, comment } });
    expect((await sign('approve')).json().state).toBe('ready');
    const rejected = (await sign('reject', 'Load test failed')).json();
    expect(rejected.state).toBe('draft');
    expect(rejected.actions.find((a: { action: string }) => a.action === 'start').blockers).toContainEqual(
      expect.objectContaining({ kind: 'approval_rejected', detail: expect.objectContaining({ role: 'engineering' }) }),
    );
    expect((await sign('approve', 'Load test re-run green')).json().state).toBe('ready');
    const events = (await eng.get(`/api/releases/${release.id}/events`)).json().events;
    expect(events.slice(0, 4).map((e: { type: string; reason: string | null }) => [e.type, e.reason])).toEqual([
      ['release.ready', null],
      ['approval.recorded', 'Load test re-run green'],
      ['release.unready', null],
      ['approval.recorded', 'Load test failed'],
    ]);
  });

  it('are refused to the release owner, to a role not held, and to a role the playbook does not ask for', async () => {
    const release = await createTestRelease(t, twoEngineersPlaybook);
    const admin = await t.as('admin');
    const product = await t.as('product');
    // An admin who owns a release may not sign it off either, whatever roles they hold.
    await admin.patch(`/api/users/${(await t.db.user.findUniqueOrThrow({ where: { email: 'admin@rampart.test' } })).id}`, { approvalRoles: ['engineering'] });
    const ownRelease = (await admin.post('/api/releases', { service: 'own', version: '1', playbookId: twoEngineersPlaybook })).json();
    const own = await admin.post(`/api/releases/${ownRelease.id}/approvals`, { role: 'engineering', decision: 'approve' });
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toMatch(/owner cannot sign off/);

    const notHeld = await product.post(`/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'approve' });
    expect(notHeld.statusCode).toBe(403);
    const notAsked = await product.post(`/api/releases/${release.id}/approvals`, { role: 'product', decision: 'approve' });
    expect(notAsked.statusCode).toBe(400);
    expect(notAsked.json()).toMatchObject({ field: 'body.role' });
    const unknownStage = await (await t.as('eng')).post(`/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'approve', stage: 'nope' });
    expect(unknownStage.statusCode).toBe(400);
    expect(unknownStage.json()).toMatchObject({ field: 'body.stage' });
    const owner = await t.as('owner');
    expect((await owner.post(`/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'approve' })).statusCode).toBe(403);
  });
});

describe('forcing', () => {
  it('never passes a missing or rejected sign-off, for the owner or an admin, and says which are missing', async () => {
    const owner = await t.as('owner');
    const admin = await t.as('admin');
    let release = (await createTestRelease(t, await createTestPlaybook(t, 'binding-signoffs'))) as unknown as TRelease;
    const force = (client: typeof owner, action: string, current: TRelease) =>
      client.post(`/api/releases/${current.id}/actions/${action}`, { expectedRevision: current.revision, force: true, reason: 'Hotfix' });

    expect(release.actions.find((a) => a.action === 'start')).toMatchObject({ allowed: false, forceable: false });
    for (const client of [owner, admin]) {
      const refused = await force(client, 'start', release);
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json()).toMatchObject({ error: 'blocked', release: { state: 'draft', revision: release.revision } });
      expect(refused.json().message).toMatch(/^Cannot force start: sign-offs cannot be forced/);
      expect(refused.json().message).toContain('1 more product sign-off');
      expect(refused.json().message).toContain('1 more security sign-off');
      expect(refused.json().blockers.map((b: { detail: { role: string } }) => b.detail.role).sort()).toEqual(['product', 'security']);
    }

    // Once the approvers have signed, force still passes what is not a sign-off: here the open checklist item.
    await (await t.as('product')).post(`/api/releases/${release.id}/approvals`, { role: 'product', decision: 'approve' });
    release = (await (await t.as('security')).post(`/api/releases/${release.id}/approvals`, { role: 'security', decision: 'approve' })).json();
    expect(release.actions.find((a) => a.action === 'start')).toMatchObject({ allowed: false, forceable: true });
    const started = await force(owner, 'start', release);
    expect(started.statusCode, started.body).toBe(200);
    release = started.json();

    const eng = await t.as('eng');
    release = (await eng.post(`/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'reject', stage: 'canary', comment: 'Not yet' })).json();
    const rejected = await force(admin, 'ramp', release);
    expect(rejected.statusCode, rejected.body).toBe(422);
    // The refusal quotes the approver's comment, so the owner knows what to fix.
    expect(rejected.json().message).toContain('engineering rejected Ramping to Canary: “Not yet”');
    expect(rejected.json().release).toMatchObject({ currentStage: { key: 'staging' } });

    release = (await eng.post(`/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'approve', stage: 'canary' })).json();
    const ramped = await force(owner, 'ramp', release);
    expect(ramped.statusCode, ramped.body).toBe(200);
    expect(ramped.json()).toMatchObject({ currentStage: { key: 'canary' } });
  });
});

describe('sign-offs that can no longer be given', () => {
  it('say so instead of "Waiting": a finished release, and a stage entered by force before sign-offs were binding', async () => {
    const owner = await t.as('owner');
    const playbookId = await createTestPlaybook(t, 'closed-signoffs');
    const draft = (await createTestRelease(t, playbookId)) as unknown as TRelease;
    const aborted = await owner.post(`/api/releases/${draft.id}/actions/abort`, { expectedRevision: draft.revision, reason: 'Replaced' });
    expect(aborted.statusCode, aborted.body).toBe(200);
    expect((aborted.json() as TRelease).approvals.required.map((r) => [r.role, r.stageKey, r.closed])).toEqual([
      ['product', null, 'release_finished'],
      ['security', null, 'release_finished'],
      ['engineering', 'canary', 'release_finished'],
    ]);

    // A release started by force in an earlier version: running at staging without its before-start sign-offs.
    const legacy = (await createTestRelease(t, playbookId)) as unknown as TRelease;
    const now = new Date();
    await t.db.releaseStage.updateMany({ where: { releaseId: legacy.id, key: 'staging' }, data: { enteredAt: now } });
    await t.db.release.update({ where: { id: legacy.id }, data: { state: 'running', currentStageIndex: 0, startedAt: now, revision: { increment: 1 } } });
    const running = (await owner.get(`/api/releases/${legacy.id}`)).json() as TRelease;
    expect(running.state).toBe('running');
    expect(running.approvals.required.map((r) => [r.role, r.stageKey, r.closed])).toEqual([
      ['product', null, 'forced_past'],
      ['security', null, 'forced_past'],
      ['engineering', 'canary', null],
    ]);
  });
});

describe('the checklist', () => {
  it('is ticked by its owning approver role, not by another', async () => {
    const release = (await createTestRelease(t, (await t.db.playbook.findUniqueOrThrow({ where: { key: 'pharmacy-canary' } })).id)) as unknown as TRelease;
    const securityItem = release.checklist.find((i) => i.ownerRole === 'security');
    expect(securityItem).toBeDefined();
    const product = await t.as('product');
    const security = await t.as('security');
    expect((await product.patch(`/api/releases/${release.id}/checklist/${securityItem!.id}`, { status: 'done' })).statusCode).toBe(403);
    const ticked = await security.patch(`/api/releases/${release.id}/checklist/${securityItem!.id}`, { status: 'done', note: 'Snyk clean' });
    expect(ticked.statusCode).toBe(200);
    expect(ticked.json().revision).toBe(release.revision + 1);
    const unknown = await security.patch(`/api/releases/${release.id}/checklist/00000000-0000-4000-8000-000000000000`, { status: 'done' });
    expect(unknown.statusCode).toBe(404);
  });
});
