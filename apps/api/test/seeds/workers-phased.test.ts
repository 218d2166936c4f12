// Seed 003 (docs/seeds/003_3d4c270bfca6fb6f.md), the built-in playbook workers-phased, walked through the API:
// Phase 0 staging with the Engineering Lead + Product Owner go/no-go, Phase 1 canary 10% for 2 hours, Phase 2
// partial 50% for 4 hours, Phase 3 full 100% for 24 hours; "Automatic rollback if: Error rate > 1% / P95 latency >
// 2000ms / Health check fails for > 2 minutes", "Health Check | 3 consecutive failures | Critical | Rollback", and
// P1 "Error rate > 5% … Rollback if not resolved in 15 minutes".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Random } from '@rampart/traffic/random';
import type { TTraffic, TWindowCounts, TWorld } from './walk.js';
import {
  breachUntil,
  completeProcedure,
  createAndStart,
  events,
  expectCleanCompletion,
  expectNoBlanks,
  followTraffic,
  forceTo,
  HEALTHY,
  momentsOf,
  openWorld,
  pagedContacts,
  release,
  reportProblem,
  run,
  sentMessages,
  stop,
  walkToCompletion,
  withCanary,
} from './walk.js';

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
    // Its only templates are the incident ones: a healthy release sends nothing.
    expect(await sentMessages(walk)).toEqual([]);
  });

  it('acts on each reported severity as Incident Response says, sending that severity\'s template: P3 notifies, P2 holds, P1 pauses and pages, P0 rolls back', async () => {
    const walk = await atCanary('incidents', 309);
    await run(walk, 60);
    const p3 = await reportProblem(walk, 'support', { kind: 'incident', severity: 'P3', title: 'Edge case: imperial units round oddly' });
    expect(p3.action).toBe('notify');
    expect((await release(w, walk.id)).state).toBe('running');
    // Reports a little apart, as people make them: each template speaks of the incident just reported.
    await run(walk, 10);
    const p2 = await reportProblem(walk, 'support', { kind: 'incident', severity: 'P2', title: 'Sync slow for Android users' });
    expect(p2.action).toBe('hold');
    const held = await release(w, walk.id);
    expect(held.state).toBe('running');
    expect(held.actions.find((a) => a.action === 'ramp')!.blockers.map((b) => b.kind)).toContain('incident_open');
    expect(await pagedContacts(walk)).toEqual([]);
    await run(walk, 10);
    const p1 = await reportProblem(walk, 'eng', { kind: 'incident', severity: 'P1', title: 'Calculations fail to save', handler: 'Dana (on call)' });
    expect(p1.action).toBe('pause');
    expect((await release(w, walk.id)).state).toBe('paused');
    expect(await pagedContacts(walk)).toEqual(['On-call engineer (to be assigned) (level 0)']);
    await run(walk, 10);
    const p0 = await reportProblem(walk, 'eng', { kind: 'incident', severity: 'P0', title: 'Calculator unavailable' });
    expect(p0.action).toBe('rollback');
    await followTraffic(walk);
    expect((await release(w, walk.id)).state).toBe('rolled_back');
    expect((await pagedContacts(walk)).length).toBeGreaterThanOrEqual(2);

    const sent = await sentMessages(walk);
    const internal = sent.filter((m) => m.template.startsWith('incident-internal-'));
    expect(internal.map((m) => m.template)).toEqual(['incident-internal-p3', 'incident-internal-p2', 'incident-internal-p1', 'incident-internal-p0']);
    const responses: Record<string, string> = {
      P3: 'Monitor, fix in next release',
      P2: 'Investigate, may rollback',
      P1: 'Rollback if not resolved in 15 minutes',
      P0: 'Immediate rollback + all-hands',
    };
    for (const [i, level] of ['P3', 'P2', 'P1', 'P0'].entries()) {
      expect(internal[i]!.text).toContain(`Severity: ${level}\n`);
      expect(internal[i]!.text).toContain(`Actions: ${responses[level]} (`);
    }
    expect(internal[2]!.text).toContain('🚨 Incident: Calculations fail to save');
    expect(internal[2]!.text).toContain('handled by Dana (on call)');
    expect(new Set(internal.map((m) => m.text)).size).toBe(4);
    const external = sent.filter((m) => m.template === 'incident-external');
    expect(external).toHaveLength(4);
    expect(external.map((m) => m.text).join('\n')).not.toMatch(/Calculat|Sync slow|Edge case/);
    expect(momentsOf(sent).every((m) => m.endsWith('@incident'))).toBe(true);
    await expectNoBlanks(walk, sent);

    const procedure = await completeProcedure(walk);
    expect(procedure.map((i) => [i.section, i.required])).toEqual([
      ...Array(7).fill(['Manual Rollback', true]),
      ['Manual Rollback', false],
      ['Manual Rollback', true],
      ['Database Rollback', false],
      ['Database Rollback', false],
    ]);
    expect(procedure[0]!.text).toMatch(/^\*\*Stop traffic to new version:\*\* `wrangler rollback`/);
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
