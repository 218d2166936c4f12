// Seed 004 (docs/seeds/004_1fa73fa06f96720e.md), the built-in playbook valine-canary, walked through the API:
// "Stage 1: 5% traffic (30 min) / Stage 2: 25% traffic (1 hour) / Stage 3: 50% traffic (1 hour) / Stage 4: 100%",
// "Monitor for 2 hours before signing off", each stage's Go/No-Go ROLLBACK, "Immediate Rollback (P1)" (error rate >5%,
// availability <99.9%) and "Considered Rollback (P2)" (error rate 2-5%, >50% latency increase), which pauses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Random } from '@rampart/traffic/random';
import type { TTraffic, TWindowCounts, TWorld } from './walk.js';
import { breachUntil, createAndStart, expectCleanCompletion, forceTo, HEALTHY, openWorld, release, walkToCompletion, withCanary } from './walk.js';

const round = (v: number) => Math.round(v * 100_000) / 100_000;

/** Database pool usage, login success and availability (synthetic checks), per cohort. */
function gauges(availability: { canary: number; baseline: number }) {
  return (w: TWindowCounts, rnd: Random): Record<string, number> => ({
    db_connection_pool_usage: round(0.3 + 0.03 * rnd.normal()),
    login_success_rate: round(Math.min(1, 0.985 + 0.003 * rnd.normal())),
    availability: round(Math.min(1, availability[w.cohort] + 0.0001 * rnd.normal())),
  });
}

// 1,000 req/s, 0.3% errors, P95 about 300 ms, availability 99.98%.
const TRAFFIC: TTraffic = {
  rps: 1000,
  baseline: { ...HEALTHY, errorRate: 0.003 },
  canary: { ...HEALTHY, errorRate: 0.003 },
  latencyMedianMs: 130,
  latencySigma: 0.5,
  latency: 'histogram',
  gauges: gauges({ canary: 0.9998, baseline: 0.9998 }),
};

let w: TWorld;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => w.t.close());

async function at(stage: string, service: string, seed: number, every = 10) {
  const walk = await createAndStart(w, 'valine-canary', TRAFFIC, { service, seed, every });
  await forceTo(walk, stage);
  return walk;
}

describe('seed 004: Project Valine canary release', { timeout: 600_000 }, () => {
  it('walks a healthy release through 5%, 25%, 50% and 100% with its 2 hours of monitoring and completes it without force', async () => {
    const walk = await createAndStart(w, 'valine-canary', TRAFFIC, { service: 'healthy', seed: 401 });
    const waits = await walkToCompletion(walk, { quietTickEvery: 300 });
    expect(waits).toEqual({ 'canary-5': 0, 'canary-25': 0, 'canary-50': 0, full: 0 });
    await expectCleanCompletion(walk);
    const minutes = (await release(w, walk.id)).stages.map((s) => (Date.parse(s.exitedAt!) - Date.parse(s.enteredAt!)) / 60_000);
    expect(minutes).toEqual([30, 60, 60, 120]);
  });

  it('Stage 1: rolls back at once when the error rate exceeds 2%', async () => {
    const walk = await at('canary-5', 'stage1-errors', 402);
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.045 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/Stage 1 rollback: error rate > 2%/);
  });

  it('Stage 2: rolls back at once when the error rate exceeds 1.5%', async () => {
    const walk = await at('canary-25', 'stage2-errors', 403);
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.025 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/Stage 2 rollback: error rate > 1.5%/);
  });

  it('Stage 2: rolls back at once on a latency increase over 20%', async () => {
    const walk = await at('canary-25', 'stage2-latency', 404);
    // P95 +35%: past the stage's 20%, short of P2's 50%.
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { latencyFactor: 1.35 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/Stage 2 rollback: latency increase > 20%/);
  });

  it('P1: rolls back at once when the error rate exceeds 5% (50% stage)', async () => {
    const walk = await at('canary-50', 'p1-errors', 405);
    const { seconds, log } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.08 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(log.find((e) => e.type === 'release.rollback_started')!.reason).toMatch(/P1 immediate rollback: error rate > 5%/);
  });

  it('P1: rolls back at once when availability drops below 99.9%', async () => {
    const walk = await at('canary-25', 'p1-availability', 406);
    const breach = { ...TRAFFIC, gauges: gauges({ canary: 0.995, baseline: 0.9998 }) };
    const { seconds, event } = await breachUntil(walk, breach, 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/availability < 99.9%/);
  });

  it('P1: rolls back at 100% too, with points pushed once a minute', async () => {
    const walk = await at('full', 'p1-full-1m', 407, 60);
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.08 }), 'release.rollback_started', { maxSeconds: 600 });
    expect(seconds).toBeLessThanOrEqual(120);
    expect(event.reason).toMatch(/P1 immediate rollback: error rate > 5%/);
  });

  it('P2: pauses ("Considered Rollback") when the error rate is between 2% and 5%', async () => {
    const walk = await at('canary-50', 'p2-errors', 408);
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.035 }), 'release.paused', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/P2 considered rollback: error rate 2–5%/);
    expect((await release(w, walk.id)).state).toBe('rolled_back');
  });

  it('P2: pauses on a latency increase over 50%', async () => {
    const walk = await at('canary-50', 'p2-latency', 409);
    const { seconds, event, log } = await breachUntil(walk, withCanary(TRAFFIC, { latencyFactor: 1.8 }), 'release.paused', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/P2 considered rollback: latency increase > 50%/);
    expect(log.filter((e) => e.type === 'release.rollback_started').map((e) => e.actor.name)).toEqual(['owner@rampart.test']);
  });
});
