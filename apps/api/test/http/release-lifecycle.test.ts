import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRelease } from '@rampart/contracts';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TClient, TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

let t: TTestApp;
let playbookId: string;

beforeAll(async () => {
  t = await startTestApp();
  playbookId = await createTestPlaybook(t);
});
afterAll(async () => t.close());

function itemId(release: TRelease, key: string): string {
  const item = release.checklist.find((i) => i.key === key);
  if (!item) throw new Error(`no item ${key}`);
  return item.id;
}

async function act(client: TClient, release: TRelease, action: string, extra: Record<string, unknown> = {}) {
  return client.post(`/api/releases/${release.id}/actions/${action}`, { expectedRevision: release.revision, ...extra });
}

describe('a release walked from draft to completed', () => {
  it('follows its playbook: sign-offs and checklist before start, bake times and stage sign-offs between stages', async () => {
    const owner = await t.as('owner');
    let release = (await createTestRelease(t, playbookId)) as unknown as TRelease;
    expect(release).toMatchObject({ state: 'draft', revision: 1, currentStage: null, desiredPercent: 0 });
    expect(release.stages.map((s) => [s.key, s.trafficPercent, s.status])).toEqual([
      ['staging', 0, 'pending'],
      ['canary', 5, 'pending'],
      ['full', 100, 'pending'],
    ]);
    const start = release.actions.find((a) => a.action === 'start');
    expect(start).toMatchObject({ legal: true, allowed: false });
    expect(start?.blockers.map((b) => b.kind).sort()).toEqual(['approval_missing', 'approval_missing', 'checklist_open']);

    const blocked = await act(owner, release, 'start');
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json()).toMatchObject({ error: 'blocked', release: { id: release.id, state: 'draft' } });
    expect(blocked.json().blockers).toHaveLength(3);

    release = (await owner.patch(`/api/releases/${release.id}/checklist/${itemId(release, 'tests-pass')}`, { status: 'done', note: 'CI run 812' })).json();
    expect(release.checklist.find((i) => i.key === 'tests-pass')).toMatchObject({ status: 'done', note: 'CI run 812', updatedBy: { email: 'owner@rampart.test' } });
    expect(release.state).toBe('draft');

    await (await t.as('product')).post(`/api/releases/${release.id}/approvals`, { role: 'product', decision: 'approve', comment: 'Go' });
    const signed = await (await t.as('security')).post(`/api/releases/${release.id}/approvals`, { role: 'security', decision: 'approve' });
    expect(signed.statusCode).toBe(200);
    release = signed.json();
    expect(release.state).toBe('ready');
    expect(release.approvals.required.filter((r) => r.stageKey === null).every((r) => r.satisfied)).toBe(true);

    const stale = await owner.post(`/api/releases/${release.id}/actions/start`, { expectedRevision: release.revision - 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'stale_revision', release: { revision: release.revision, state: 'ready' } });

    const started = await act(owner, release, 'start');
    expect(started.statusCode).toBe(200);
    release = started.json();
    expect(release).toMatchObject({ state: 'running', currentStageIndex: 0, desiredPercent: 0, startedAt: '2026-03-02T10:00:00.000Z' });

    const needsSignoff = await act(owner, release, 'ramp');
    expect(needsSignoff.statusCode).toBe(422);
    expect(needsSignoff.json().blockers).toEqual([
      expect.objectContaining({ kind: 'approval_missing', detail: expect.objectContaining({ role: 'engineering', stage: 'canary' }) }),
    ]);

    await (await t.as('eng')).post(`/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'approve', stage: 'canary' });
    release = (await owner.get(`/api/releases/${release.id}`)).json();
    release = (await act(owner, release, 'ramp')).json();
    expect(release).toMatchObject({ state: 'running', currentStage: { key: 'canary' }, desiredPercent: 5 });
    expect(release.stages[1]).toMatchObject({ status: 'current', enteredAt: '2026-03-02T10:00:00.000Z', bakeEndsAt: '2026-03-02T10:30:00.000Z' });

    const baking = await act(owner, release, 'ramp');
    expect(baking.statusCode).toBe(422);
    expect(baking.json().blockers.map((b: { kind: string }) => b.kind)).toEqual(['bake_time', 'checklist_open']);
    expect(baking.json().blockers[0].detail.secondsLeft).toBe(1800);

    t.clock.advance(1800);
    release = (await (await t.as('eng')).patch(`/api/releases/${release.id}/checklist/${itemId(release, 'smoke-canary')}`, { status: 'done' })).json();
    release = (await act(owner, release, 'ramp')).json();
    expect(release).toMatchObject({ currentStage: { key: 'full' }, desiredPercent: 100 });

    const early = await act(owner, release, 'complete');
    expect(early.statusCode).toBe(422);
    const forcedWithoutReason = await act(owner, release, 'complete', { force: true });
    expect(forcedWithoutReason.statusCode).toBe(400);
    const forced = await act(owner, release, 'complete', { force: true, reason: 'Full bake verified on the dashboard' });
    expect(forced.statusCode).toBe(200);
    release = forced.json();
    expect(release).toMatchObject({ state: 'completed', finishedAt: '2026-03-02T10:30:00.000Z' });
    expect(release.actions.every((a) => !a.legal)).toBe(true);

    const events = (await owner.get(`/api/releases/${release.id}/events?limit=100`)).json().events;
    expect(events[0]).toMatchObject({ type: 'release.completed', reason: 'Full bake verified on the dashboard', actor: { name: 'owner@rampart.test' } });
    expect(events[0].data.forcedPast).toEqual([expect.objectContaining({ kind: 'bake_time' })]);
    expect(events.map((e: { type: string }) => e.type).reverse()).toEqual([
      'release.created',
      'checklist.updated',
      'approval.recorded',
      'approval.recorded',
      'release.ready',
      'release.started',
      'approval.recorded',
      'release.ramped',
      'message.sent',
      'checklist.updated',
      'release.ramped',
      'message.sent',
      'release.completed',
    ]);
    const revisions = events.map((e: { revision: number }) => e.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => b - a));
  });

  it('pages the event log, newest first', async () => {
    const owner = await t.as('owner');
    const release = await createTestRelease(t, playbookId, 'paging');
    for (const status of ['done', 'open', 'done', 'open']) {
      await owner.patch(`/api/releases/${release.id}/checklist/${release.checklist[0]!.id}`, { status });
    }
    const first = (await owner.get(`/api/releases/${release.id}/events?limit=2`)).json();
    expect(first.events).toHaveLength(2);
    const second = (await owner.get(`/api/releases/${release.id}/events?limit=2&before=${first.nextBefore}`)).json();
    const third = (await owner.get(`/api/releases/${release.id}/events?limit=2&before=${second.nextBefore}`)).json();
    const ids = [...first.events, ...second.events, ...third.events].map((e: { id: string }) => BigInt(e.id));
    expect(ids).toHaveLength(5);
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
    expect(third.nextBefore).toBeNull();
  });
});

describe('rolling back', () => {
  it('publishes 0%, waits for the tooling to acknowledge it, then is rolled back for good', async () => {
    const owner = await t.as('owner');
    const release = await createTestRelease(t, playbookId, 'payments');
    // Force passes the open checklist item, never a sign-off: the approvers sign first.
    await (await t.as('product')).post(`/api/releases/${release.id}/approvals`, { role: 'product', decision: 'approve' });
    const signed = (await (await t.as('security')).post(`/api/releases/${release.id}/approvals`, { role: 'security', decision: 'approve' })).json();
    const started = await owner.post(`/api/releases/${release.id}/actions/start`, { expectedRevision: signed.revision, force: true, reason: 'Hotfix' });
    expect(started.json()).toMatchObject({ state: 'running', currentStage: { key: 'staging' } });
    await (await t.as('eng')).post(`/api/releases/${release.id}/approvals`, { role: 'engineering', decision: 'approve', stage: 'canary' });
    let current: TRelease = (await owner.get(`/api/releases/${release.id}`)).json();
    expect((await act(owner, current, 'ramp')).json()).toMatchObject({ desiredPercent: 5 });
    const ack = await owner.post(`/api/releases/${release.id}/traffic/ack`, { percent: 5 });
    expect(ack.json()).toMatchObject({ desiredPercent: 5, acknowledgedPercent: 5, stage: 'canary' });

    current = (await owner.get(`/api/releases/${release.id}`)).json();
    current = (await act(owner, current, 'rollback', { reason: 'Error rate doubled' })).json();
    expect(current).toMatchObject({ state: 'rolling_back', desiredPercent: 0, acknowledgedPercent: 5 });
    expect((await owner.get(`/api/releases/${release.id}/traffic`)).json()).toMatchObject({ desiredPercent: 0, state: 'rolling_back' });

    const done = await owner.post(`/api/releases/${release.id}/traffic/ack`, { percent: 0 });
    expect(done.json()).toMatchObject({ state: 'rolled_back', acknowledgedPercent: 0 });
    const again = await owner.post(`/api/releases/${release.id}/traffic/ack`, { percent: 0 });
    expect(again.statusCode).toBe(200);
    const moved = await owner.post(`/api/releases/${release.id}/traffic/ack`, { percent: 5 });
    expect(moved.statusCode).toBe(409);

    current = (await owner.get(`/api/releases/${release.id}`)).json();
    const resumed = await act(owner, current, 'resume');
    expect(resumed.statusCode).toBe(409);
    expect(resumed.json()).toMatchObject({ error: 'illegal_transition', state: 'rolled_back', action: 'resume' });

    const messages = (await owner.get(`/api/releases/${release.id}/messages`)).json().messages;
    expect(messages[0].text).toBe('payments 1.2.3: Rolled back at Canary (0%) & counting');
    const status = (await t.anonymous.get('/api/status')).json();
    expect(status.recent).toContainEqual(expect.objectContaining({ id: release.id, state: 'rolled_back', health: 'degraded' }));
    expect(JSON.stringify(status)).not.toContain('owner@rampart.test');
  });
});

describe('messages', () => {
  it("fills the playbook's templates from the live release, as plain text", async () => {
    const owner = await t.as('owner');
    const release = await createTestRelease(t, playbookId, 'search');
    const { messages } = (await owner.get(`/api/releases/${release.id}/messages`)).json();
    // The test playbook's own template is kept; this release's spec copy was taken before any edit.
    expect(messages).toEqual([
      expect.objectContaining({ key: 'progress', text: 'search 1.2.3: Draft at not started (0%) & counting' }),
    ]);
  });
});
