// Seed 001 (docs/seeds/001_f87abfcbaa7c1534.md), the built-in playbook production-rollout, walked through the API:
// "Deploy new version to 10% of instances / Monitor error rates for 15 minutes / Deploy to remaining instances",
// "Monitoring (24 hours)" as the watch at 100% after which it completes by itself, its rollback triggers "Error rate
// exceeds 1% for 5 minutes" and "P95 latency exceeds 1 second", and the ones people report, by kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTraffic, TWorld } from './walk.js';
import {
  breachUntil,
  completeProcedure,
  createAndStart,
  events,
  expectCleanCompletion,
  expectNoBlanks,
  followTraffic,
  HEALTHY,
  leaveStage,
  momentsOf,
  openWorld,
  release,
  reportProblem,
  run,
  sentMessages,
  stop,
  walkToCompletion,
  withCanary,
} from './walk.js';

// 1,000 req/s, 0.2% errors, P95 about 300 ms: a healthy service well inside both triggers.
const TRAFFIC: TTraffic = {
  rps: 1000,
  baseline: { ...HEALTHY, errorRate: 0.002 },
  canary: { ...HEALTHY, errorRate: 0.002 },
  latencyMedianMs: 130,
  latencySigma: 0.5,
  latency: 'histogram',
};

let w: TWorld;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => w.t.close());

describe('seed 001: production rollout', { timeout: 600_000 }, () => {
  it('walks a healthy release from 10% of instances to the rest, watches it 24 hours, and completes by itself (pushes every 10 s)', async () => {
    const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: 'healthy-10s', seed: 101 });
    const waits = await walkToCompletion(walk, { quietTickEvery: 300, autoComplete: true });
    // "Monitor error rates for 15 minutes": the ramp is allowed when the 15 minutes are over, not later.
    expect(waits['canary-10']).toBe(0);
    // "Monitoring (24 hours)": nobody signs it off; the autopilot completes it as the 24 hours end.
    expect(waits.full).toBeLessThanOrEqual(20);
    await expectCleanCompletion(walk, 'autopilot');
    const full = (await release(w, walk.id)).stages.find((s) => s.key === 'full')!;
    const watched = (Date.parse(full.exitedAt!) - Date.parse(full.enteredAt!)) / 1000;
    expect(watched).toBeGreaterThanOrEqual(24 * 3600);
    expect(watched).toBeLessThanOrEqual(24 * 3600 + 20);
    // "Notify stakeholders of deployment window" and "Update status page"; on all instances, the 24 hours begin.
    const sent = await sentMessages(walk);
    expect(momentsOf(sent).sort()).toEqual(
      ['announcement@start', 'announcement-external@start', 'progress@ramp', 'all-instances@full_traffic', 'complete@complete'].sort(),
    );
    expect(sent.find((m) => m.template === 'all-instances')!.text).toMatch(/Monitoring for 24 hours, until [^\n]*\d\d:\d\d/);
    await expectNoBlanks(walk, sent);
  });

  it('walks a healthy release to completion after its 24-hour watch with points pushed once a minute', async () => {
    const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: 'healthy-1m', seed: 102, every: 60 });
    const waits = await walkToCompletion(walk, { quietTickEvery: 300, autoComplete: true });
    expect(waits['canary-10']).toBe(0);
    expect(waits.full).toBeLessThanOrEqual(60);
    await expectCleanCompletion(walk, 'autopilot');
  });

  it('rolls back during the 24-hour watch when support reports a data integrity issue, and the team works through the Rollback Process', async () => {
    const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: 'data-integrity', seed: 108 });
    await leaveStage(walk, 'ramp');
    await run(walk, 3600, { tickEvery: 60 });
    const incident = await reportProblem(walk, 'support', { kind: 'data_integrity', title: 'Invoices totals differ from orders' });
    expect(incident.action).toBe('rollback');
    await followTraffic(walk);
    expect((await release(w, walk.id)).state).toBe('rolled_back');
    const procedure = await completeProcedure(walk);
    expect(procedure.filter((i) => !i.required).map((i) => i.text)).toEqual(['Stop deployment if in progress', 'Restore from pre-deployment backup if needed']);
    expect(procedure).toHaveLength(10);
    // "Notify stakeholders" when the rollback starts; "Update status page" once it is rolled back.
    const sent = await sentMessages(walk);
    expect(momentsOf(sent)).toEqual(expect.arrayContaining(['incident@incident', 'rollback@rollback', 'rolled-back-external@rolled_back']));
    expect(sent.find((m) => m.template === 'rolled-back-external')!.text).not.toContain('Invoices');
    await expectNoBlanks(walk, sent);
  });

  it('rolls back at once on a security vulnerability, and a critical business flow failing, reported at 10%', async () => {
    for (const [kind, seed] of [['security', 109], ['critical_flow', 110]] as const) {
      const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: `reported-${kind}`, seed });
      await run(walk, 60);
      const incident = await reportProblem(walk, 'eng', { kind, title: `A ${kind} problem` });
      expect(incident.action).toBe('rollback');
      expect((await release(w, walk.id)).state).toBe('rolling_back');
      await followTraffic(walk);
    }
  });

  it('rolls back when the error rate exceeds 1% for 5 minutes, not before (pushes every 10 s)', async () => {
    const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: 'errors-10s', seed: 103 });
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.03 }), 'release.rollback_started', { maxSeconds: 600 });
    expect(seconds).toBeGreaterThanOrEqual(300);
    expect(seconds).toBeLessThanOrEqual(360);
    expect(event.reason).toMatch(/Error rate above 1% for 5 minutes/);
    expect((await release(w, walk.id)).state).toBe('rolled_back');
  });

  it('rolls back when the error rate exceeds 1% for 5 minutes, with points pushed once a minute', async () => {
    const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: 'errors-1m', seed: 104, every: 60 });
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.03 }), 'release.rollback_started', { maxSeconds: 600 });
    expect(seconds).toBeGreaterThanOrEqual(300);
    expect(seconds).toBeLessThanOrEqual(420);
    expect(event.reason).toMatch(/Error rate above 1% for 5 minutes/);
  });

  it('does not roll back an error spike shorter than 5 minutes', async () => {
    const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: 'spike', seed: 105 });
    await run3(walk);
    expect((await release(w, walk.id)).state).toBe('running');
    expect((await events(w, walk.id)).filter((e) => e.actor.name === 'autopilot' && e.type.startsWith('release.'))).toEqual([]);
    await stop(walk);
  });

  it('rolls back at once when P95 latency exceeds 1 second', async () => {
    const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: 'slow', seed: 106 });
    // Median 130 → 520 ms: P95 about 1.2 s.
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { latencyFactor: 4 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/P95 latency above 1 second/);
  });

  it('rolls back on the same triggers after the ramp to the remaining instances', async () => {
    const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: 'errors-full', seed: 107 });
    await leaveStage(walk, 'ramp');
    expect((await release(w, walk.id)).currentStage?.key).toBe('full');
    const { seconds } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.03 }), 'release.rollback_started', { maxSeconds: 600 });
    expect(seconds).toBeGreaterThanOrEqual(300);
    expect(seconds).toBeLessThanOrEqual(360);
  });
});

/** Three healthy minutes past the initial delay, four minutes at 3% errors, then healthy again for five. */
async function run3(walk: Awaited<ReturnType<typeof createAndStart>>) {
  await run(walk, 180);
  walk.traffic = withCanary(TRAFFIC, { errorRate: 0.03 });
  await run(walk, 240);
  walk.traffic = TRAFFIC;
  await run(walk, 300);
}
