import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_PLAYBOOKS } from '@rampart/domain';
import { TEST_PLAYBOOK_SPEC, createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

let t: TTestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('playbooks', () => {
  it('ships the five seed documents as built-in playbooks', async () => {
    const viewer = await t.as('support');
    const { playbooks } = (await viewer.get('/api/playbooks')).json();
    expect(playbooks.filter((p: { builtIn: boolean }) => p.builtIn).map((p: { key: string }) => p.key).sort()).toEqual(
      BUILT_IN_PLAYBOOKS.map((p) => p.key).sort(),
    );
    const first = playbooks[0];
    const full = (await viewer.get(`/api/playbooks/${first.id}`)).json();
    expect(full.spec.stages.map((s: { key: string }) => s.key)).toEqual(first.stages.map((s: { key: string }) => s.key));
  });

  it('validates a new playbook and names the offending field', async () => {
    const admin = await t.as('admin');
    const badStage = await admin.post('/api/playbooks', {
      key: 'bad',
      name: 'Bad',
      spec: { ...TEST_PLAYBOOK_SPEC, stages: [{ key: 'a', name: 'A', trafficPercent: 150, minBakeSeconds: 0 }] },
    });
    expect(badStage.statusCode).toBe(400);
    expect(badStage.json().field).toBe('body.spec.stages.0.trafficPercent');

    const unknownStage = await admin.post('/api/playbooks', {
      key: 'bad2',
      name: 'Bad',
      spec: { ...TEST_PLAYBOOK_SPEC, gates: [{ kind: 'threshold', key: 'g', name: 'G', severity: 'rollback', metric: 'error_rate', comparator: 'above', value: 0.01, stages: ['nope'] }] },
    });
    expect(unknownStage.statusCode).toBe(400);
    expect(unknownStage.json().message).toContain('no stage "nope"');
    expect(await t.db.playbook.count({ where: { key: { in: ['bad', 'bad2'] } } })).toBe(0);
  });

  it('is written by admins only', async () => {
    const owner = await t.as('owner');
    const response = await owner.post('/api/playbooks', { key: 'mine', name: 'Mine', spec: TEST_PLAYBOOK_SPEC });
    expect(response.statusCode).toBe(403);
  });

  it('edits into a new version while existing releases keep their copy', async () => {
    const admin = await t.as('admin');
    const id = await createTestPlaybook(t, 'editable');
    const release = await createTestRelease(t, id);
    const renamedStages = TEST_PLAYBOOK_SPEC.stages.map((s) => ({ ...s, name: `${s.name} (v2)` }));
    const edited = await admin.put(`/api/playbooks/${id}`, { expectedVersion: 1, name: 'Edited', spec: { ...TEST_PLAYBOOK_SPEC, stages: renamedStages } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2, name: 'Edited', spec: { stages: [{ name: 'Staging (v2)' }, {}, {}] } });

    const stale = await admin.put(`/api/playbooks/${id}`, { expectedVersion: 1, name: 'Again' });
    expect(stale.statusCode).toBe(409);

    const kept = (await admin.get(`/api/releases/${release.id}`)).json();
    expect(kept.stages[0].name).toBe('Staging');
    expect(kept.playbook).toMatchObject({ key: 'editable', version: 1 });
  });
});
