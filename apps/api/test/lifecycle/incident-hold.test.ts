// An open incident whose playbook response holds the release blocks ramp and complete until it is mitigated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';
import { LIFECYCLE_SPEC, act, acted, createPlaybook, createRelease } from './support.js';

let t: TTestApp;
let playbookId: string;

beforeAll(async () => {
  t = await startTestApp();
  playbookId = await createPlaybook(t, 'held', { ...LIFECYCLE_SPEC, incidentResponses: [{ kinds: ['incident'], action: 'hold' }] });
});
afterAll(async () => t?.close());

describe('an open incident that holds the release', () => {
  it('blocks the ramp, naming it, until it is mitigated', async () => {
    const owner = await t.as('owner');
    const release = await acted(owner, await createRelease(t, playbookId, 'refunds'), 'start');
    const reported = await (await t.as('support')).post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P2', title: 'Refunds stuck in pending' });
    expect(reported.statusCode, reported.body).toBe(201);
    const current = (await owner.get(`/api/releases/${release.id}`)).json();
    const blocked = await act(owner, current, 'ramp');
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().blockers).toEqual([
      expect.objectContaining({ kind: 'incident_open', message: 'Open incident (P2): Refunds stuck in pending', detail: expect.objectContaining({ severity: 'P2', action: 'hold' }) }),
    ]);
    const mitigated = await owner.patch(`/api/releases/${release.id}/incidents/${reported.json().id}`, { status: 'mitigated' });
    expect(mitigated.statusCode, mitigated.body).toBe(200);
    await acted(owner, (await owner.get(`/api/releases/${release.id}`)).json(), 'ramp');
  });
});
