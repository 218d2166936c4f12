// "Stop the line": an admin's freeze holds every start and ramp, for owners and admins, forced or not,
// and never a pause or a rollback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRelease } from '@rampart/contracts';
import { evaluateRelease } from '../../src/autopilot/evaluate-release.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';
import { LIFECYCLE_SPEC, act, acted, createPlaybook, createRelease } from './support.js';

let t: TTestApp;
let playbookId: string;

beforeAll(async () => {
  t = await startTestApp();
  playbookId = await createPlaybook(t, 'freeze', { ...LIFECYCLE_SPEC, automation: { autoAdvance: true, autoPause: true, autoRollback: true } });
});
afterAll(async () => t?.close());

describe('a change freeze', () => {
  it('is declared and ended by admins only, one at a time, and visible to everyone signed in', async () => {
    const admin = await t.as('admin');
    expect((await (await t.as('owner')).post('/api/admin/freeze', { reason: 'Not mine to call' })).statusCode).toBe(403);
    expect((await t.anonymous.get('/api/freeze')).statusCode).toBe(401);
    expect((await (await t.as('support')).get('/api/freeze')).json()).toEqual({ freeze: null });
    expect((await admin.post('/api/admin/freeze', { reason: '' })).json()).toMatchObject({ statusCode: 400, field: 'body.reason' });
    expect((await admin.post('/api/admin/freeze/end')).statusCode).toBe(409);

    const declared = await admin.post('/api/admin/freeze', { reason: 'Payments incident review' });
    expect(declared.statusCode, declared.body).toBe(201);
    expect(declared.json()).toMatchObject({ reason: 'Payments incident review', startedBy: 'admin@rampart.test', startedAt: '2026-03-02T10:00:00.000Z', endedAt: null });
    const twice = await admin.post('/api/admin/freeze', { reason: 'Again' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toContain('Payments incident review');
    expect((await (await t.as('support')).get('/api/freeze')).json()).toMatchObject({ freeze: { reason: 'Payments incident review' } });

    expect((await (await t.as('owner')).post('/api/admin/freeze/end')).statusCode).toBe(403);
    const ended = await admin.post('/api/admin/freeze/end');
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ endedBy: 'admin@rampart.test', endedAt: '2026-03-02T10:00:00.000Z' });
    expect((await admin.get('/api/freeze')).json()).toEqual({ freeze: null });
  });

  it('blocks start and ramp for the owner and an admin even with force, never pause or rollback', async () => {
    const owner = await t.as('owner');
    const admin = await t.as('admin');
    const ready = await createRelease(t, playbookId, 'ledger');
    let running = await acted(owner, await createRelease(t, playbookId, 'billing'), 'start');
    expect((await admin.post('/api/admin/freeze', { reason: 'Quarter close' })).statusCode).toBe(201);

    for (const [client, release, action] of [
      [owner, ready, 'start'],
      [admin, ready, 'start'],
      [owner, running, 'ramp'],
      [admin, running, 'ramp'],
    ] as const) {
      const plain = await act(client, release, action);
      expect(plain.statusCode).toBe(422);
      expect(plain.json().blockers).toEqual([
        expect.objectContaining({ kind: 'freeze', message: 'Change freeze declared by admin@rampart.test: Quarter close', detail: expect.objectContaining({ declaredBy: 'admin@rampart.test' }) }),
      ]);
      const forced = await act(client, release, action, { force: true, reason: 'It is urgent' });
      expect(forced.statusCode).toBe(422);
      expect(forced.json().message).toContain('a change freeze cannot be forced');
    }
    const page: TRelease = (await owner.get(`/api/releases/${running.id}`)).json();
    expect(page.actions.find((a) => a.action === 'pause')).toMatchObject({ allowed: true });

    // The autopilot does not move it on either.
    t.clock.advance(60);
    const evaluation = await evaluateRelease({ db: t.db, clock: t.clock }, running.id);
    expect(evaluation?.decision).toMatchObject({ kind: 'hold', why: expect.stringContaining('freeze') });

    running = await acted(owner, running, 'pause', { reason: 'Holding still' });
    running = await acted(owner, running, 'resume');
    running = await acted(owner, running, 'rollback', { reason: 'Stop' });
    expect(running.state).toBe('rolled_back');

    expect((await admin.post('/api/admin/freeze/end')).statusCode).toBe(200);
    expect((await act(owner, (await owner.get(`/api/releases/${ready.id}`)).json(), 'start')).statusCode).toBe(200);
  });
});
