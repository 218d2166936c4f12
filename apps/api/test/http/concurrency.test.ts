import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

let t: TTestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

/** Force passes the open checklist item, never a sign-off: the approvers sign first. */
async function signBeforeStart(releaseId: string): Promise<{ revision: number }> {
  await (await t.as('product')).post(`/api/releases/${releaseId}/approvals`, { role: 'product', decision: 'approve' });
  return (await (await t.as('security')).post(`/api/releases/${releaseId}/approvals`, { role: 'security', decision: 'approve' })).json();
}

describe('two people acting at once', () => {
  it('lets exactly one of 50 concurrent conflicting actions through; the others get 409 and the current release', async () => {
    const owner = await t.as('owner');
    const admin = await t.as('admin');
    const release = await createTestRelease(t, await createTestPlaybook(t));
    const started = (
      await owner.post(`/api/releases/${release.id}/actions/start`, { expectedRevision: (await signBeforeStart(release.id)).revision, force: true, reason: 'test' })
    ).json();

    const actions = ['pause', 'rollback'];
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? owner : admin).post(`/api/releases/${release.id}/actions/${actions[i % 2]}`, {
          expectedRevision: started.revision,
          reason: `attempt ${i}`,
        }),
      ),
    );
    const codes = responses.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    const winner = responses.find((r) => r.statusCode === 200)!.json();
    for (const loser of responses.filter((r) => r.statusCode === 409)) {
      expect(loser.json()).toMatchObject({ error: 'stale_revision', release: { revision: winner.revision, state: winner.state } });
    }
    const events = (await owner.get(`/api/releases/${release.id}/events?limit=200`)).json().events;
    expect(events.filter((e: { type: string }) => e.type === 'release.paused' || e.type === 'release.rollback_started')).toHaveLength(1);
  });
});
