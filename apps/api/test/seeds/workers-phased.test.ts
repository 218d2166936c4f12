// Seed 003 (docs/seeds/003_3d4c270bfca6fb6f.md), the built-in playbook workers-phased, walked through the API:
// Phase 0 staging with the Engineering Lead + Product Owner go/no-go, Phase 1 canary 10% for 2 hours, Phase 2
// partial 50% for 4 hours, Phase 3 full 100% for 24 hours; "Automatic rollback if: Error rate > 1% / P95 latency >
// 2000ms / Health check fails for > 2 minutes", "Health Check | 3 consecutive failures | Critical | Rollback", and
// P1 "Error rate > 5% … Rollback if not resolved in 15 minutes".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Random } from '@rampart/traffic/random';
import type { TTraffic, TWindowCounts, TWorld } from './walk.js';
import { breachUntil, createAndStart, events, expectCleanCompletion, forceTo, HEALTHY, openWorld, release, run, stop, walkToCompletion, withCanary } from './walk.js';

/** "5xx Errors > 5/minute": the tooling counts 5xx (about half of the errors here) per minute. */
function fiveHundreds(w: TWindowCounts, rnd: Random): Record<string, number> {
  return { http_5xx_per_minute: Math.round((rnd.binomial(w.errors, 0.5) * 60) / w.seconds) };
}

// 200 req/s, 0.01% errors (the success criterion is < 0.1%), P95 about 270 ms (< 500 ms).
const TRAFFIC: TTraffic = {
  rps: 200,
  baseline: { ...HEALTHY, errorRate: 0.0001 },
  canary: { ...HEALTHY, errorRate: 0.0001 },
  latencyMedianMs: 120,
  latencySigma: 0.5,
  latency: 'histogram',
  gauges: fiveHundreds,
};

let w: TWorld;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => w.t.close());

async function atCanary(service: string, seed: number, every = 10) {
  const walk = await createAndStart(w, 'workers-phased', TRAFFIC, { service, seed, every });
  await forceTo(walk, 'canary-10');
  return walk;
}

describe('seed 003: Spring Rate Calculator phased rollout', { timeout: 600_000 }, () => {
  it('walks a healthy release through staging, 10% (2 h), 50% (4 h) and 100% (24 h) and completes it without force, with points pushed once a minute', async () => {
    const walk = await createAndStart(w, 'workers-phased', TRAFFIC, { service: 'healthy', seed: 301, every: 60 });
    const waits = await walkToCompletion(walk, { quietTickEvery: 300 });
    expect(waits).toEqual({ staging: 0, 'canary-10': 0, 'partial-50': 0, full: 0 });
    await expectCleanCompletion(walk);
    const current = await release(w, walk.id);
    expect(current.approvals.decisions.map((d) => `${d.role}@${d.stageKey}`).sort()).toEqual(['engineering@canary-10', 'product@canary-10']);
    const hours = current.stages.map((s) => (Date.parse(s.exitedAt!) - Date.parse(s.enteredAt!)) / 3_600_000);
    expect(hours).toEqual([0, 2, 4, 24]);
  });

  it('rolls back the canary at once when its error rate exceeds 1%', async () => {
    const walk = await atCanary('errors', 302);
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.03 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/Automatic rollback: error rate > 1%/);
  });

  it('rolls back the canary at once when P95 latency exceeds 2000 ms', async () => {
    const walk = await atCanary('slow', 303);
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { latencyFactor: 10 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/P95 latency > 2000ms/);
  });

  it('rolls back after 3 consecutive failed health checks (checks every 10 s)', async () => {
    const walk = await atCanary('health-3', 304);
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { healthOk: false }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeGreaterThanOrEqual(30);
    expect(seconds).toBeLessThanOrEqual(90);
    expect(event.reason).toMatch(/3 consecutive failures/);
  });

  it('rolls back when health checks fail for more than 2 minutes (checks once a minute)', async () => {
    const walk = await atCanary('health-2m', 305, 60);
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { healthOk: false }), 'release.rollback_started', { maxSeconds: 600 });
    expect(seconds).toBeGreaterThanOrEqual(120);
    expect(seconds).toBeLessThanOrEqual(240);
    expect(event.reason).toMatch(/health check/i);
  });

  it('rolls back the 50% stage on the same thresholds ("Same as Phase 1")', async () => {
    const walk = await createAndStart(w, 'workers-phased', TRAFFIC, { service: 'errors-50', seed: 306 });
    await forceTo(walk, 'partial-50');
    const { seconds } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.03 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it('at 100% pauses on a critical error rate and rolls back a P1 (> 5%) not resolved in 15 minutes', async () => {
    const walk = await createAndStart(w, 'workers-phased', TRAFFIC, { service: 'p1-full', seed: 307 });
    await forceTo(walk, 'full');
    const breach = withCanary(TRAFFIC, { errorRate: 0.08 });
    const paused = await breachUntil(walk, breach, 'release.paused', { maxSeconds: 300, keepGoing: true });
    expect(paused.seconds).toBeLessThanOrEqual(60);
    walk.traffic = breach;
    await run(walk, 1200, { until: (s) => s.state !== 'paused' });
    const log = await events(w, walk.id);
    const rollback = log.find((e) => e.type === 'release.rollback_started');
    expect(rollback?.actor.name).toBe('autopilot');
    expect(rollback?.reason).toMatch(/P1: error rate > 5% unresolved for 15 minutes/);
    const since = (Date.parse(rollback!.createdAt) - paused.breachStart) / 1000;
    expect(since).toBeGreaterThanOrEqual(900);
    expect(since).toBeLessThanOrEqual(960);
    await stop(walk);
  });

  it('at 100% does not roll back automatically on an error rate between 1% and 5% ("requires higher bar")', async () => {
    const walk = await createAndStart(w, 'workers-phased', TRAFFIC, { service: 'p2-full', seed: 308 });
    await forceTo(walk, 'full');
    const paused = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.03 }), 'release.paused', { maxSeconds: 300, keepGoing: true });
    expect(paused.seconds).toBeLessThanOrEqual(60);
    walk.traffic = withCanary(TRAFFIC, { errorRate: 0.03 });
    await run(walk, 1200);
    expect((await release(w, walk.id)).state).toBe('paused');
    await stop(walk);
  });
});
