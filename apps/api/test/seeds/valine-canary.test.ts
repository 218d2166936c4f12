// Seed 004 (docs/seeds/004_1fa73fa06f96720e.md), the built-in playbook valine-canary, walked through the API:
// "Stage 1: 5% traffic (30 min) / Stage 2: 25% traffic (1 hour) / Stage 3: 50% traffic (1 hour) / Stage 4: 100%",
// "Monitor for 2 hours before signing off", each stage's Go/No-Go ROLLBACK, "Immediate Rollback (P1)" (error rate >5%,
// availability <99.9%) and "Considered Rollback (P2)" (error rate 2-5%, >50% latency increase), which pauses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Random } from '@rampart/traffic/random';
import type { TTraffic, TWindowCounts, TWorld } from './walk.js';
import {
  breachUntil,
  completeProcedure,
  createAndStart,
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
  tickItems,
  walkToCompletion,
  withCanary,
} from './walk.js';

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
    // "Internal Update (every 30 min)" while it runs, not at each ramp; "Monitoring for 2 hours" on reaching 100%;
    // the status page's "Resolved" once signed off.
    const sent = await sentMessages(walk);
    const moments = momentsOf(sent);
    const updates = moments.filter((m) => m.startsWith('progress-internal'));
    expect(new Set(updates)).toEqual(new Set(['progress-internal@every']));
    // 4.5 hours running: an update at each of its 30-minute marks (the last falls on the sign-off itself).
    expect(updates.length).toBeGreaterThanOrEqual(8);
    expect(updates.length).toBeLessThanOrEqual(9);
    expect(moments.filter((m) => !m.startsWith('progress-internal')).sort()).toEqual(
      ['announcement-internal@start', 'announcement-external@start', 'complete-internal@full_traffic', 'complete-external@complete'].sort(),
    );
    const reached = sent.find((m) => m.template === 'complete-internal')!.text;
    expect(reached).toContain('Monitoring for 2 hours. Will sign off at ');
    expect(reached).not.toContain('unknown');
    for (const update of sent.filter((m) => m.template === 'progress-internal')) expect(update.text).toMatch(/Proceeding to \d+% in [^\n]+\.$/);
    expect(sent.find((m) => m.template === 'announcement-internal')!.text).toContain('**On-Call**: Primary on-call (listed in PagerDuty)');
    await expectNoBlanks(walk, sent);
  });

  it('notifies on a P3, pauses on a P2 ("Considered Rollback"), rolls back on a P1 ("Immediate Rollback") paging the primary on-call, then works through the Full Rollback Checklist', async () => {
    const walk = await at('canary-25', 'reported', 410);
    await run(walk, 60);
    const p3 = await reportProblem(walk, 'support', { kind: 'incident', severity: 'P3', title: 'Profile page slow for some users' });
    expect(p3.action).toBe('notify');
    expect((await release(w, walk.id)).state).toBe('running');
    const p2 = await reportProblem(walk, 'support', { kind: 'incident', severity: 'P2', title: 'Reels upload broken on Safari' });
    expect(p2.action).toBe('pause');
    expect((await release(w, walk.id)).state).toBe('paused');
    expect(await pagedContacts(walk)).toEqual([]);
    const p1 = await reportProblem(walk, 'eng', { kind: 'incident', severity: 'P1', title: 'Login fails for a fifth of users' });
    expect(p1.action).toBe('rollback');
    await followTraffic(walk);
    expect((await release(w, walk.id)).state).toBe('rolled_back');
    expect(await pagedContacts(walk)).toEqual(['Primary on-call (listed in PagerDuty) (level 0)']);
    const procedure = await completeProcedure(walk);
    expect(procedure.map((i) => [i.text, i.required])).toEqual([
      ['Rollback frontend to previous version', true],
      ['Rollback backend to previous version', true],
      ['Rollback database migration (if applicable)', false],
      ['Clear CDN cache', true],
      ['Verify services healthy', true],
      ['Notify team and stakeholders', true],
      ['Update status page', true],
      ['Post-mortem scheduled', true],
    ]);
    const sent = await sentMessages(walk);
    expect(momentsOf(sent)).toEqual(expect.arrayContaining(['rollback-internal@rollback', 'rollback-external@rollback']));
    expect(momentsOf(sent).filter((m) => m.startsWith('progress'))).toEqual([]);
    await expectNoBlanks(walk, sent);
    // SEV1 is the other scale: refused, naming the field.
    const wrongScale = await w.as('support').post(`/api/releases/${walk.id}/incidents`, { kind: 'incident', severity: 'SEV1', title: 'Outage' });
    expect([400, 409]).toContain(wrongScale.statusCode);
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

  // Last: it moves the clock to the Friday of the same week.
  it("does not start on a Friday (\"Don't deploy on Fridays\"), and shows why", async () => {
    const friday = Date.parse('2026-03-06T12:00:00Z');
    const ahead = (friday - w.t.clock.now().getTime()) / 1000;
    expect(ahead).toBeGreaterThan(0);
    w.t.clock.advance(ahead);
    const created = await w.owner.post('/api/releases', { service: 'friday', version: '2.0.0', playbookId: await w.t.playbookId('valine-canary'), notes: 'Friday' });
    expect(created.statusCode, created.body).toBe(201);
    const walk = { w, id: created.json().id } as Parameters<typeof tickItems>[0];
    await tickItems(walk, (item) => item.phase === 'before_start');
    const current = await release(w, walk.id);
    const start = current.actions.find((a) => a.action === 'start')!;
    expect(start.allowed).toBe(false);
    expect(start.blockers.map((b) => b.kind)).toEqual(['outside_window']);
    const refused = await w.owner.post(`/api/releases/${walk.id}/actions/start`, { expectedRevision: current.revision });
    // Blocked actions answer 422 with their blockers, as for any other blocker.
    expect(refused.statusCode).toBe(422);
    expect(refused.json().blockers.map((b: { kind: string }) => b.kind)).toEqual(['outside_window']);
    expect(refused.json().blockers[0].detail.nextOpening).toBe('2026-03-09T00:00:00.000Z');
  });
});
