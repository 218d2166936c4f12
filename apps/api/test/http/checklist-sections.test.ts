import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRelease } from '@rampart/contracts';
import { TEST_PLAYBOOK_SPEC } from '../support/playbook-fixture.js';
import type { TClient, TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

let t: TTestApp;
let playbookId: string;

// One section mixes owners (so a product approver ticks only their part); the rollback section stays
// locked until a rollback starts.
const SPEC = {
  ...TEST_PLAYBOOK_SPEC,
  approvalsBeforeStart: [],
  checklist: [
    {
      title: 'Launch prep',
      items: [
        { key: 'tests-pass', text: 'All tests passing', phase: 'before_start', required: true },
        { key: 'copy-reviewed', text: 'Copy reviewed', phase: 'before_start', ownerRole: 'product' },
        { key: 'pricing-checked', text: 'Pricing page checked', phase: 'before_start', ownerRole: 'product' },
        { key: 'pen-test', text: 'Pen test signed', phase: 'before_start', ownerRole: 'security' },
      ],
    },
    {
      title: 'If we roll back',
      items: [{ key: 'tell-support', text: 'Tell support', phase: 'on_rollback', required: true }],
    },
  ],
};

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.as('admin');
  const response = await admin.post('/api/playbooks', { key: 'sections', name: 'Sections', spec: SPEC });
  if (response.statusCode !== 201) throw new Error(response.body);
  playbookId = response.json().id;
});
afterAll(async () => t.close());

async function newRelease(): Promise<TRelease> {
  const owner = await t.as('owner');
  return (await owner.post('/api/releases', { service: 'checkout', version: '2.0.0', playbookId })).json();
}

function markDone(client: TClient, release: TRelease, body: Record<string, unknown>) {
  return client.post(`/api/releases/${release.id}/checklist/sections/done`, body);
}

const statusOf = (release: TRelease, key: string) => release.checklist.find((i) => i.key === key)?.status;

describe('marking a checklist section done', () => {
  it('ticks every open item in one revision with one event listing the keys, and readiness follows', async () => {
    const owner = await t.as('owner');
    const release = await newRelease();
    expect(release.state).toBe('draft');

    const response = await markDone(owner, release, { section: 'Launch prep', expectedRevision: release.revision });
    expect(response.statusCode).toBe(200);
    const after: TRelease = response.json();
    expect(after.checklist.filter((i) => i.section === 'Launch prep').map((i) => i.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(after.checklist.find((i) => i.key === 'copy-reviewed')?.updatedBy).toMatchObject({ email: 'owner@rampart.test' });
    expect(statusOf(after, 'tell-support')).toBe('open');
    expect(after.revision).toBe(release.revision + 1);
    expect(after.state).toBe('ready');

    const events = (await owner.get(`/api/releases/${release.id}/events?limit=200`)).json().events as { type: string; data: Record<string, unknown> }[];
    const updates = events.filter((e) => e.type === 'checklist.updated');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.data).toMatchObject({ section: 'Launch prep', items: ['tests-pass', 'copy-reviewed', 'pricing-checked', 'pen-test'], to: 'done' });

    // Nothing open any more: unchanged, no new revision.
    const again = await markDone(owner, release, { section: 'Launch prep' });
    expect(again.statusCode).toBe(200);
    expect(again.json().revision).toBe(after.revision);
  });

  it("lets an approver tick only their role's items, and refuses one who owns none", async () => {
    const release = await newRelease();
    const product = await markDone(await t.as('product'), release, { section: 'Launch prep' });
    expect(product.statusCode).toBe(200);
    const after: TRelease = product.json();
    expect(['tests-pass', 'copy-reviewed', 'pricing-checked', 'pen-test'].map((key) => statusOf(after, key))).toEqual(['open', 'done', 'done', 'open']);

    const infra = await markDone(await t.as('infra'), release, { section: 'Launch prep' });
    expect(infra.statusCode).toBe(403);
    expect(infra.json().message).toContain('release_owner, security');

    const support = await markDone(await t.as('support'), release, { section: 'Launch prep' });
    expect(support.statusCode).toBe(403);
  });

  it('names body.section when there is no such section, and refuses a stale revision', async () => {
    const owner = await t.as('owner');
    const release = await newRelease();
    const missing = await markDone(owner, release, { section: 'Nope' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ field: 'body.section' });
    expect(missing.json().message).toContain('Launch prep');

    const empty = await markDone(owner, release, { section: '' });
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.json())).toContain('section');

    const stale = await markDone(owner, release, { section: 'Launch prep', expectedRevision: release.revision + 5 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'stale_revision', release: { id: release.id } });
    const unchanged: TRelease = (await owner.get(`/api/releases/${release.id}`)).json();
    expect(statusOf(unchanged, 'tests-pass')).toBe('open');
  });

  it('keeps the rollback procedure shut until a rollback starts', async () => {
    const owner = await t.as('owner');
    const release = await newRelease();
    const early = await markDone(owner, release, { section: 'If we roll back' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('on_rollback');

    let current: TRelease = (await markDone(owner, release, { section: 'Launch prep' })).json();
    current = (await owner.post(`/api/releases/${release.id}/actions/start`, { expectedRevision: current.revision })).json();
    expect(current.state).not.toBe('draft');
    const rolledBack = await owner.post(`/api/releases/${release.id}/actions/rollback`, { expectedRevision: current.revision, reason: 'Drill' });
    expect(rolledBack.statusCode).toBe(200);
    const done = await markDone(owner, release, { section: 'If we roll back' });
    expect(done.statusCode).toBe(200);
    expect(statusOf(done.json(), 'tell-support')).toBe('done');
  });
});
