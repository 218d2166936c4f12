// The watch after 100% on a real database: the last stage's bake time reads as a watch, and with
// automation.autoComplete the autopilot completes the release when the watch is over, as Rampart.
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
  playbookId = await createPlaybook(t, 'watched', {
    ...LIFECYCLE_SPEC,
    stages: [
      { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 0 },
      { key: 'full', name: 'Full rollout', trafficPercent: 100, minBakeSeconds: 2 * 3600 },
    ],
    automation: { autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: true },
  });
});
afterAll(async () => t?.close());

describe('the watch after 100%', () => {
  it('holds completion while it runs, then the autopilot completes the release', async () => {
    const owner = await t.as('owner');
    let release = await acted(owner, await createRelease(t, playbookId, 'checkout'), 'start');
    release = await acted(owner, release, 'ramp');
    const deps = { db: t.db, clock: t.clock };

    t.clock.advance(48 * 60);
    const early = await act(owner, release, 'complete');
    expect(early.statusCode).toBe(422);
    expect(early.json().blockers).toEqual([expect.objectContaining({ kind: 'bake_time', message: '1h 12m of the watch left at Full rollout' })]);
    expect((await evaluateRelease(deps, release.id))?.decision).toEqual({ kind: 'hold', why: '1h 12m of the watch left at Full rollout' });

    t.clock.advance(72 * 60);
    const evaluation = await evaluateRelease(deps, release.id);
    expect(evaluation).toMatchObject({ acted: 'complete', decision: { kind: 'act', action: 'complete' } });
    const completed: TRelease = (await owner.get(`/api/releases/${release.id}`)).json();
    expect(completed).toMatchObject({ state: 'completed', finishedAt: '2026-03-02T12:00:00.000Z' });
    const events = (await owner.get(`/api/releases/${release.id}/events?limit=50`)).json().events;
    expect(events.find((e: { type: string }) => e.type === 'release.completed')).toMatchObject({
      actor: { id: null },
      reason: 'Automatic completion: the watch at Full rollout is over and every gate passed',
      data: { automatic: true },
    });
  });

  it('waits for a person when the playbook does not complete by itself', async () => {
    const manual = await createPlaybook(t, 'manual', { ...LIFECYCLE_SPEC, automation: { autoAdvance: false, autoPause: true, autoRollback: true } });
    const owner = await t.as('owner');
    let release = await acted(owner, await createRelease(t, manual, 'search'), 'start');
    release = await acted(owner, release, 'ramp');
    t.clock.advance(600);
    release = await acted(owner, release, 'ramp');
    t.clock.advance(3600);
    const evaluation = await evaluateRelease({ db: t.db, clock: t.clock }, release.id);
    expect(evaluation?.decision).toEqual({ kind: 'hold', why: 'at the last stage; completing is left to a person' });
    expect((await owner.get(`/api/releases/${release.id}`)).json().state).toBe('running');
  });
});
