// A restart in the middle of a bake: a new process (a new app on the same database, the clock going on)
// resumes the timer where it was and ramps once, at the same moment the first process would have.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlaybookSpecInput } from '@rampart/contracts';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { TTestApp } from '../support/test-app.js';
import { clientFor, startTestApp } from '../support/test-app.js';

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'canary', name: 'Canary', trafficPercent: 10, minBakeSeconds: 1800 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
  ],
  automation: { autoAdvance: true, autoPause: true, autoRollback: true },
};

let t: TTestApp;
beforeAll(async () => {
  t = await startTestApp({ autopilotIntervalMs: 3_600_000 });
});
afterAll(async () => t.close());

describe('a restart mid-rollout', () => {
  it('keeps the bake timer and decides once', async () => {
    const admin = await t.as('admin');
    const owner = await t.as('owner');
    const playbookId = (await admin.post('/api/playbooks', { key: 'restart', name: 'Restart', spec: SPEC })).json().id;
    const created = (await owner.post('/api/releases', { service: 'restart', version: '1', playbookId })).json();
    await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision });

    t.clock.advance(1200);
    await t.app.autopilot!.tick();
    await t.app.close();

    // The new process: same database, the clock 10 minutes later; the bake has 10 minutes left.
    t.clock.advance(590);
    const settings = loadConfig({ RAMPART_DEMO: '0' });
    const second = await buildApp({ db: t.db, clock: t.clock, settings, autopilotIntervalMs: 3_600_000 });
    try {
      const session = (await clientFor(second).post('/api/auth/login', { email: 'owner@rampart.test', password: 'rampart' })).cookies[0]!;
      const client = clientFor(second, { cookie: `rampart_session=${session.value}` });
      await second.autopilot!.tick();
      const waiting = (await client.get(`/api/releases/${created.id}`)).json();
      expect(waiting.currentStage.key).toBe('canary');
      expect(waiting.actions.find((a: { action: string }) => a.action === 'ramp').blockers[0]).toMatchObject({ kind: 'bake_time', detail: { secondsLeft: 10 } });

      t.clock.advance(10);
      await second.autopilot!.tick();
      await second.autopilot!.tick();
      const ramped = (await client.get(`/api/releases/${created.id}`)).json();
      expect(ramped).toMatchObject({ currentStage: { key: 'full' }, desiredPercent: 100 });
      const events = (await client.get(`/api/releases/${created.id}/events`)).json().events;
      expect(events.filter((e: { type: string }) => e.type === 'release.ramped')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
