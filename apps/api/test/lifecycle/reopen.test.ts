// Reopening a rolled-back release at a smaller percentage: a new attempt linked both ways to the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRelease } from '@rampart/contracts';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';
import { LIFECYCLE_SPEC, acted, createPlaybook, createRelease, rollBack } from './support.js';

let t: TTestApp;
let playbookId: string;

beforeAll(async () => {
  t = await startTestApp();
  playbookId = await createPlaybook(t, 'reopen', LIFECYCLE_SPEC);
});
afterAll(async () => t?.close());

/** Rolled back from the 5% canary. */
async function rolledBackAtCanary(service: string): Promise<TRelease> {
  const owner = await t.as('owner');
  let release = await createRelease(t, playbookId, service);
  release = await acted(owner, release, 'start');
  release = await acted(owner, release, 'ramp');
  return rollBack(owner, release, 'Checkout errors');
}

describe('reopening a rolled-back release', () => {
  it('creates a new draft attempt at the smaller percent, linked to the first', async () => {
    const owner = await t.as('owner');
    const first = await rolledBackAtCanary('checkout');
    const response = await owner.post(`/api/releases/${first.id}/reopen`, { trafficPercent: 1, version: '1.0.1', reason: 'Fixed the EU card path' });
    expect(response.statusCode, response.body).toBe(201);
    const attempt: TRelease = response.json();
    expect(attempt).toMatchObject({
      service: 'checkout',
      version: '1.0.1',
      state: 'ready',
      owner: { email: 'owner@rampart.test' },
      previousAttemptId: first.id,
      nextAttemptId: null,
      rollbackProcedure: null,
      playbook: { key: 'reopen' },
    });
    expect(attempt.stages.map((s) => [s.key, s.name, s.trafficPercent, s.minBakeSeconds, s.status])).toEqual([
      ['reopen-2', 'Reopened at 1%', 1, 600, 'pending'],
      ['canary', 'Canary', 5, 600, 'pending'],
      ['full', 'Full rollout', 100, 3600, 'pending'],
    ]);
    expect(attempt.checklist.every((item) => item.status === 'open' && item.updatedBy === null)).toBe(true);

    const old: TRelease = (await owner.get(`/api/releases/${first.id}`)).json();
    expect(old).toMatchObject({ state: 'rolled_back', nextAttemptId: attempt.id, previousAttemptId: null });
    const lastEvent = async (id: string) => (await owner.get(`/api/releases/${id}/events?limit=50`)).json().events.find((e: { type: string }) => e.type === 'release.reopened');
    expect(await lastEvent(first.id)).toMatchObject({ reason: 'Fixed the EU card path', data: { attemptId: attempt.id, trafficPercent: 1 }, actor: { name: 'owner@rampart.test' } });
    expect(await lastEvent(attempt.id)).toMatchObject({ reason: 'Fixed the EU card path', data: { previousAttemptId: first.id } });

    // The new attempt runs from its smaller first stage.
    const started = await acted(owner, attempt, 'start');
    expect(started).toMatchObject({ state: 'running', currentStage: { key: 'reopen-2' }, desiredPercent: 1 });

    const again = await owner.post(`/api/releases/${first.id}/reopen`, { trafficPercent: 1, reason: 'Once more' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain(attempt.id);
  });

  it('numbers a reopened attempt reopened again', async () => {
    const admin = await t.as('admin');
    const first = await rolledBackAtCanary('cart');
    const second: TRelease = (await admin.post(`/api/releases/${first.id}/reopen`, { trafficPercent: 2, reason: 'Fix one' })).json();
    expect(second.owner.email).toBe('admin@rampart.test');
    let running = await acted(admin, second, 'start');
    t.clock.advance(600);
    running = await acted(admin, running, 'ramp');
    await rollBack(admin, running, 'Still failing');
    const third = await admin.post(`/api/releases/${second.id}/reopen`, { trafficPercent: 1, reason: 'Fix two' });
    expect(third.statusCode, third.body).toBe(201);
    expect(third.json().stages.map((s: { key: string; trafficPercent: number }) => [s.key, s.trafficPercent])).toEqual([
      ['reopen-3', 1],
      ['reopen-2', 2],
      ['canary', 5],
      ['full', 100],
    ]);
  });

  it('refuses what it cannot do, naming why', async () => {
    const owner = await t.as('owner');
    const first = await rolledBackAtCanary('payments');
    const same = await owner.post(`/api/releases/${first.id}/reopen`, { trafficPercent: 5, reason: 'Fixed' });
    expect(same.statusCode).toBe(400);
    expect(same.json()).toMatchObject({ field: 'body.trafficPercent', message: expect.stringContaining('reached 5%') });
    const zero = await owner.post(`/api/releases/${first.id}/reopen`, { trafficPercent: 0, reason: 'Fixed' });
    expect(zero.json()).toMatchObject({ statusCode: 400, field: 'body.trafficPercent' });
    const noReason = await owner.post(`/api/releases/${first.id}/reopen`, { trafficPercent: 1 });
    expect(noReason.json()).toMatchObject({ statusCode: 400, field: 'body.reason' });

    expect((await (await t.as('support')).post(`/api/releases/${first.id}/reopen`, { trafficPercent: 1, reason: 'Fixed' })).statusCode).toBe(403);
    expect((await (await t.as('eng')).post(`/api/releases/${first.id}/reopen`, { trafficPercent: 1, reason: 'Fixed' })).statusCode).toBe(403);

    const running = await acted(owner, await createRelease(t, playbookId, 'search'), 'start');
    const notRolledBack = await owner.post(`/api/releases/${running.id}/reopen`, { trafficPercent: 1, reason: 'Fixed' });
    expect(notRolledBack.statusCode).toBe(409);
    expect(notRolledBack.json()).toMatchObject({ message: expect.stringContaining('running'), release: { id: running.id } });
  });
});
