// How late verdicts come, on /metrics: a push through the API, the nudged evaluation, and a pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TClient, TTestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { QUIET_SPEC } from './support.js';
import { pipelineClient, startTestApp } from '../support/test-app.js';


let t: TTestApp;
let pipeline: TClient;

beforeAll(async () => {
  // Passes only when the test asks (tick) or points arrive (nudge).
  t = await startTestApp({ autopilotIntervalMs: 3_600_000 });
  const admin = await t.as('admin');
  await admin.post('/api/playbooks', { key: 'lag', name: 'Lag', spec: QUIET_SPEC });
  pipeline = await pipelineClient(t);
});
afterAll(async () => t.close());


/** One sample of the /metrics text, e.g. `rampart_autopilot_verdict_lag_seconds_count`; 0 when absent. */
async function sample(name: string): Promise<number> {
  const text = (await (await t.as('admin')).get('/metrics')).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('autopilot timings on /metrics', () => {
  it("exports each verdict's lag behind the points it included, and each pass's duration", async () => {
    const pilot = t.app.autopilot!;
    await until('the autopilot to lead', () => pilot.isLeader(), 15_000);
    const owner = await t.as('owner');
    const created = (await owner.post('/api/releases', { service: 'lag', version: '1.0.0', playbookId: await t.playbookId('lag') })).json();
    expect((await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision })).statusCode).toBe(200);

    const text = (await (await t.as('admin')).get('/metrics')).body;
    expect(text).toContain('# TYPE rampart_autopilot_verdict_lag_seconds histogram');
    expect(text).toContain('# TYPE rampart_autopilot_pass_duration_seconds histogram');
    const lagsBefore = await sample('rampart_autopilot_verdict_lag_seconds_count');
    const passesBefore = await sample('rampart_autopilot_pass_duration_seconds_count');

    const ts = t.clock.now().getTime() - 1000;
    const pushed = await pipeline.post(`/api/releases/${created.id}/metrics`, {
      points: [
        { ts, cohort: 'canary', metric: 'requests', value: 500 },
        { ts, cohort: 'canary', metric: 'errors', value: 1 },
      ],
    });
    expect(pushed.statusCode).toBe(202);
    // The push nudges the autopilot, whose evaluation of the release stores a verdict that includes it.
    await until('the verdict that includes the push', async () => (await sample('rampart_autopilot_verdict_lag_seconds_count')) === lagsBefore + 1, 15_000);
    const analyzed = await t.db.release.findUniqueOrThrow({ where: { id: created.id }, select: { analyzedAt: true } });
    expect(analyzed.analyzedAt?.getTime()).toBe(t.clock.now().getTime());
    const lagSum = await sample('rampart_autopilot_verdict_lag_seconds_sum');
    expect(lagSum).toBeGreaterThan(0);
    expect(lagSum).toBeLessThan(15);

    await pilot.tick();
    expect(await sample('rampart_autopilot_pass_duration_seconds_count')).toBe(passesBefore + 1);
    // The pass judged the release again, but no point was waiting: no second lag.
    expect(await sample('rampart_autopilot_verdict_lag_seconds_count')).toBe(lagsBefore + 1);
  });
});
