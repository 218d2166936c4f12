// Seed 001 (docs/seeds/001_f87abfcbaa7c1534.md), the built-in playbook production-rollout, walked through the API:
// "Deploy new version to 10% of instances / Monitor error rates for 15 minutes / Deploy to remaining instances",
// and its rollback triggers "Error rate exceeds 1% for 5 minutes" and "P95 latency exceeds 1 second".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTraffic, TWorld } from './walk.js';
import { breachUntil, createAndStart, expectCleanCompletion, HEALTHY, events, leaveStage, openWorld, release, run, stop, walkToCompletion, withCanary } from './walk.js';

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
  it('walks a healthy release from 10% of instances to the rest and completes it without force (pushes every 10 s)', async () => {
    const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: 'healthy-10s', seed: 101 });
    const waits = await walkToCompletion(walk);
    // "Monitor error rates for 15 minutes": the ramp is allowed when the 15 minutes are over, not later.
    expect(waits['canary-10']).toBe(0);
    // The 100% stage has no bake; its gates judge once its initial delay is over.
    expect(waits.full).toBeLessThanOrEqual(150);
    await expectCleanCompletion(walk);
  });

  it('walks a healthy release to completion with points pushed once a minute', async () => {
    const walk = await createAndStart(w, 'production-rollout', TRAFFIC, { service: 'healthy-1m', seed: 102, every: 60 });
    const waits = await walkToCompletion(walk);
    expect(waits['canary-10']).toBe(0);
    expect(waits.full).toBeLessThanOrEqual(180);
    await expectCleanCompletion(walk);
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
