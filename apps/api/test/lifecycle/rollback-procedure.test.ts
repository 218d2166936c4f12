// The rollback procedure on a real database: closed until a rollback starts, open ("rolled back, procedure
// open") until its required items are done, and its end recorded once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRelease } from '@rampart/contracts';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';
import { LIFECYCLE_SPEC, acted, createPlaybook, createRelease, eventTypes, itemId } from './support.js';

let t: TTestApp;
let playbookId: string;

beforeAll(async () => {
  t = await startTestApp();
  playbookId = await createPlaybook(t, 'procedure', LIFECYCLE_SPEC);
});
afterAll(async () => t?.close());

describe('the rollback procedure', () => {
  it('opens with the rollback and closes when its required items are done', async () => {
    const owner = await t.as('owner');
    const infra = await t.as('infra');
    let release = await createRelease(t, playbookId, 'orders');
    expect(release.rollbackProcedure).toBeNull();
    release = await acted(owner, release, 'start');
    release = await acted(owner, release, 'ramp');
    expect((await owner.post(`/api/releases/${release.id}/traffic/ack`, { percent: 5 })).statusCode).toBe(200);
    release = (await owner.get(`/api/releases/${release.id}`)).json();

    const early = await infra.patch(`/api/releases/${release.id}/checklist/${itemId(release, 'previous-image')}`, { status: 'done' });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('on_rollback');

    release = await acted(owner, release, 'rollback', { reason: 'Error rate up' });
    expect(release).toMatchObject({ state: 'rolling_back', rollbackProcedure: { open: true, openRequired: 2 } });
    expect((await owner.post(`/api/releases/${release.id}/traffic/ack`, { percent: 0 })).statusCode).toBe(200);
    release = (await owner.get(`/api/releases/${release.id}`)).json();
    expect(release).toMatchObject({ state: 'rolled_back', rollbackProcedure: { open: true, openRequired: 2 } });

    release = (await infra.patch(`/api/releases/${release.id}/checklist/${itemId(release, 'previous-image')}`, { status: 'done', note: 'v0.9.4 redeployed' })).json();
    expect(release.rollbackProcedure).toEqual({ open: true, openRequired: 1 });
    const optional = await owner.patch(`/api/releases/${release.id}/checklist/${itemId(release, 'verify')}`, { status: 'done' });
    expect(optional.json().rollbackProcedure).toEqual({ open: true, openRequired: 1 });
    const last = await infra.patch(`/api/releases/${release.id}/checklist/${itemId(release, 'db-restore')}`, { status: 'done' });
    expect(last.statusCode, last.body).toBe(200);
    expect(last.json().rollbackProcedure).toEqual({ open: false, openRequired: 0 });
    expect((await owner.get(`/api/releases/${release.id}`)).json().rollbackProcedure).toEqual({ open: false, openRequired: 0 });

    // Messages and pages that react to these events are other features' business.
    const types = (await eventTypes(owner, release.id)).filter((type) => /^(release|checklist|rollback)\./.test(type));
    expect(types.filter((type) => type === 'rollback.procedure_done')).toHaveLength(1);
    expect(types.slice(types.indexOf('release.rolled_back'))).toEqual([
      'release.rolled_back',
      'checklist.updated',
      'checklist.updated',
      'checklist.updated',
      'rollback.procedure_done',
    ]);
  });

  it('is absent from releases whose playbook has none', async () => {
    const bare = await createPlaybook(t, 'bare', { ...LIFECYCLE_SPEC, checklist: [] });
    const owner = await t.as('owner');
    let release: TRelease = await createRelease(t, bare, 'search');
    release = await acted(owner, release, 'start');
    release = await acted(owner, release, 'rollback');
    expect(release).toMatchObject({ state: 'rolled_back', rollbackProcedure: null });
  });
});
