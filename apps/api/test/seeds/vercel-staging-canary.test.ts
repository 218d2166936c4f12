// Seed 002 (docs/seeds/002_a2936117574c995a.md), the built-in playbook vercel-staging-canary, walked through the API:
// canary 10%, then "Increase traffic to 25% / Monitor for 15 minutes", 50% for 30 minutes, 75% for 1 hour, 100%,
// and its trigger conditions "Error rate exceeds 5%" and "Response time exceeds 2x baseline" (read as P95).
// The pipeline here sends latency as percentile gauges (latency_p50/p95/p99_ms), not a histogram.
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

// 500 req/s, 0.3% errors, P95 about 120 ms: inside the 1% and 200 ms warnings, far from the triggers.
const TRAFFIC: TTraffic = {
  rps: 500,
  baseline: { ...HEALTHY, errorRate: 0.003 },
  canary: { ...HEALTHY, errorRate: 0.003 },
  latencyMedianMs: 60,
  latencySigma: 0.42,
  latency: 'percentiles',
};

let w: TWorld;
beforeAll(async () => {
  w = await openWorld();
});
afterAll(async () => w.t.close());

describe('seed 002: Vercel staging & canary rollout', { timeout: 600_000 }, () => {
  it('walks a healthy release through 10%, 25%, 50%, 75% and 100% and completes it without force', async () => {
    const walk = await createAndStart(w, 'vercel-staging-canary', TRAFFIC, { service: 'healthy', seed: 201 });
    const waits = await walkToCompletion(walk, { quietTickEvery: 300 });
    // The canary and the 100% stage have no bake: the owner ramps once their gates have judged (initial delay, 120 s).
    expect(waits['canary-10']).toBeLessThanOrEqual(180);
    expect(waits.full).toBeLessThanOrEqual(180);
    // "Monitor for 15 minutes / 30 minutes / 1 hour": ramping is allowed when each is over.
    expect([waits['ramp-25'], waits['ramp-50'], waits['ramp-75']]).toEqual([0, 0, 0]);
    await expectCleanCompletion(walk);
    // "Communicate status to stakeholders" and "Status page updates": at the start, at each increase, at the end.
    const sent = await sentMessages(walk);
    expect(momentsOf(sent).sort()).toEqual(
      [
        'announcement@start',
        'announcement-external@start',
        ...Array(4).fill('progress@ramp'),
        'complete@complete',
        'complete-external@complete',
      ].sort(),
    );
    await expectNoBlanks(walk, sent);
  });

  it('rolls back at once when support reports critical functionality broken ("Trigger Conditions"), pages the deployment lead, and the team works through Rollback Steps and Rollback Verification', async () => {
    const walk = await createAndStart(w, 'vercel-staging-canary', TRAFFIC, { service: 'broken-flow', seed: 207 });
    await forceTo(walk, 'ramp-25');
    await run(walk, 60);
    const incident = await reportProblem(walk, 'support', { kind: 'critical_flow', title: 'Checkout fails for saved cards' });
    expect(incident.action).toBe('rollback');
    expect((await release(w, walk.id)).state).toBe('rolling_back');
    await followTraffic(walk);
    expect((await release(w, walk.id)).state).toBe('rolled_back');
    const rollback = (await events(w, walk.id)).find((e) => e.type === 'release.rollback_started');
    expect(rollback?.actor.name).toBe('Rampart');
    // "SMS alerts (critical)": the first emergency contact on call is paged.
    expect(await pagedContacts(walk)).toEqual(['Deployment lead (to be named) (level 0)']);
    const procedure = await completeProcedure(walk);
    expect(procedure.map((i) => i.text)).toEqual([
      'Halt deployment',
      'Identify root cause',
      'Execute rollback script',
      'Verify rollback success',
      'Monitor post-rollback health',
      'Communicate status to stakeholders',
      'Previous version deployed',
      'Application health verified',
      'User flows tested',
      'Performance metrics restored',
      'Error rates normalized',
    ]);
    const sent = await sentMessages(walk);
    expect(momentsOf(sent)).toEqual(expect.arrayContaining(['incident@incident', 'rollback@rollback', 'rollback-external@rollback']));
    expect(sent.find((m) => m.template === 'incident')!.text).toContain('Checkout fails for saved cards');
    // The status page never hears an incident's title.
    expect(sent.filter((m) => m.audience === 'external').map((m) => m.text).join('\n')).not.toContain('Checkout');
    await expectNoBlanks(walk, sent);
  });

  it('refuses an incident whose severity is not on the playbook\'s P0–P3 scale', async () => {
    const walk = await createAndStart(w, 'vercel-staging-canary', TRAFFIC, { service: 'bad-severity', seed: 208 });
    const response = await w.as('support').post(`/api/releases/${walk.id}/incidents`, { kind: 'incident', severity: 'SEV1', title: 'Outage' });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.body).toContain('severity');
    await stop(walk);
  });

  it('rolls back at once when the canary error rate exceeds 5%', async () => {
    const walk = await createAndStart(w, 'vercel-staging-canary', TRAFFIC, { service: 'errors', seed: 202 });
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.12 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/Error rate above 5%/);
  });

  it('does not act on an error rate between the 1% warning and the 5% trigger', async () => {
    const walk = await createAndStart(w, 'vercel-staging-canary', TRAFFIC, { service: 'warning', seed: 203 });
    const breach = withCanary(TRAFFIC, { errorRate: 0.025 });
    await run(walk, 180);
    walk.traffic = breach;
    await run(walk, 600);
    const log = await events(w, walk.id);
    expect(log.filter((e) => e.actor.name === 'autopilot' && e.type.startsWith('release.')).map((e) => e.reason)).toEqual([]);
    expect(log.some((e) => e.type === 'gate.verdict_changed' && e.data['gate'] === 'error-rate-above-1pct' && e.data['to'] === 'warn')).toBe(true);
    await stop(walk);
  });

  it('rolls back at once when response time exceeds twice the baseline', async () => {
    const walk = await createAndStart(w, 'vercel-staging-canary', TRAFFIC, { service: 'slow', seed: 204 });
    // P95 120 → 300 ms: 2.5× the baseline, under the 500 ms critical alert.
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { latencyFactor: 2.5 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect(event.reason).toMatch(/Response time above twice the baseline/);
  });

  it('rolls back when response time exceeds twice the baseline, with points pushed once a minute', async () => {
    const walk = await createAndStart(w, 'vercel-staging-canary', TRAFFIC, { service: 'slow-1m', seed: 205, every: 60 });
    const { seconds, event } = await breachUntil(walk, withCanary(TRAFFIC, { latencyFactor: 2.5 }), 'release.rollback_started', { maxSeconds: 600 });
    // A percentile sent as a number needs 3 points for a confident breach: 3 minutes of once-a-minute pushes
    // (a latency histogram is judged on its requests instead, and faster).
    expect(seconds).toBeLessThanOrEqual(240);
    expect(event.reason).toMatch(/Response time above twice the baseline/);
  });

  it('rolls back on the 5% trigger at the 75% stage too', async () => {
    const walk = await createAndStart(w, 'vercel-staging-canary', TRAFFIC, { service: 'errors-75', seed: 206 });
    await forceTo(walk, 'ramp-75');
    const { seconds } = await breachUntil(walk, withCanary(TRAFFIC, { errorRate: 0.12 }), 'release.rollback_started', { maxSeconds: 300 });
    expect(seconds).toBeLessThanOrEqual(60);
    expect((await release(w, walk.id)).state).toBe('rolled_back');
  });
});
