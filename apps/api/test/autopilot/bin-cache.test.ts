// The autopilot's memory of settled bins against the database read it replaces: on a real database, with
// points pushed through the API (scalars, gauges, histograms, points up to two minutes late), the input the
// engine gets through the cache is the one a full read gives, at every evaluation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlaybookSpecInput } from '@rampart/contracts';
import type { TJudgementInput } from '@rampart/domain';
import type { TClient, TTestApp } from '../support/test-app.js';
import { pipelineClient, startTestApp } from '../support/test-app.js';
import { BinCache } from '../../src/services/judgement/bin-cache.js';
import { judgeableOf, judgementScope } from '../../src/services/judgement/judge-release.js';
import { loadJudgementInputs } from '../../src/services/judgement/load-judgement-input.js';
import { loadRelease } from '../../src/services/releases/release-record.js';

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 600, initialDelaySeconds: 0 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
  ],
  gates: [
    { key: 'errors', name: 'Error rate above 5% for 3 minutes', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.05, sustainSeconds: 180, severity: 'pause' },
    { key: 'orders', name: 'Orders below 0.9', kind: 'threshold', metric: 'orders_ok', comparator: 'below', value: 0.9, severity: 'warn' },
    { key: 'errors-vs-baseline', name: 'Errors against the baseline', kind: 'sequential', metric: 'error_rate', severity: 'rollback' },
  ],
  automation: { autoAdvance: false, autoPause: false, autoRollback: false },
};

const BUCKETS = (n: number) => [
  { le: 100, count: Math.round(n * 0.5) },
  { le: 250, count: Math.round(n * 0.9) },
  { le: '+Inf', count: n },
];

let t: TTestApp;
let pipeline: TClient;
let releaseId: string;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.as('admin');
  await admin.post('/api/playbooks', { key: 'cache', name: 'Cache', spec: SPEC });
  const owner = await t.as('owner');
  pipeline = await pipelineClient(t);
  const created = (await owner.post('/api/releases', { service: 'cache', version: '1.0.0', playbookId: await t.playbookId('cache') })).json();
  const started = await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision });
  expect(started.statusCode, started.body).toBe(200);
  releaseId = created.id;
});
afterAll(async () => t.close());

async function push(points: object[]) {
  const response = await pipeline.post(`/api/releases/${releaseId}/metrics`, { points });
  expect(response.statusCode, response.body).toBe(202);
}

/** Ten seconds of both cohorts ending at `ts`, with a latency histogram; the canary's error rate varies. */
function window(ts: number, step: number): object[] {
  return [
    { ts, cohort: 'canary', metric: 'requests', value: 400 + (step % 7) * 10 },
    { ts, cohort: 'canary', metric: 'errors', value: step % 5 },
    { ts, cohort: 'baseline', metric: 'requests', value: 8000 },
    { ts, cohort: 'baseline', metric: 'errors', value: 30 + (step % 3) },
    { ts, cohort: 'canary', metric: 'latency_ms', buckets: BUCKETS(400) },
    { ts, cohort: 'baseline', metric: 'latency_ms', buckets: BUCKETS(8000) },
  ];
}

async function inputs(cache: BinCache): Promise<{ cached: TJudgementInput; full: TJudgementInput }> {
  const scope = judgementScope(judgeableOf(await loadRelease(t.db, releaseId)), t.clock.now())!;
  const [cached] = await loadJudgementInputs(t.db, [scope], cache);
  const [full] = await loadJudgementInputs(t.db, [scope]);
  return { cached: cached!, full: full! };
}

describe('the memory of settled bins', () => {
  it('gives the engine the same input as a full read, with points up to two minutes late', async () => {
    const cache = new BinCache();
    for (let step = 0; step < 60; step++) {
      t.clock.advance(10);
      const now = t.clock.now().getTime();
      const points = window(now - 1, step);
      // Every third step, a gauge for a bin 90 seconds old (late, but within the two minutes' settling).
      if (step % 3 === 0) points.push({ ts: now - 90_000 + 3, cohort: 'canary', metric: 'orders_ok', value: 0.95 + (step % 4) / 100 });
      await push(points);
      const { cached, full } = await inputs(cache);
      expect(cached, `step ${step}`).toEqual(full);
    }
    expect(cache.size).toBe(1);
  });

  it('serves settled bins from memory: a point more than two minutes late is left out, as the sequential gates leave it', async () => {
    const cache = new BinCache();
    await inputs(cache);
    const now = t.clock.now().getTime();
    await push([{ ts: now - 300_000 + 7, cohort: 'baseline', metric: 'orders_ok', value: 0.5 }]);
    const { cached, full } = await inputs(cache);
    const late = (input: TJudgementInput) => input.scalars['orders_ok']?.baseline.some((bin) => bin.max === 0.5) ?? false;
    expect(late(full)).toBe(true);
    expect(late(cached)).toBe(false);
    // Once the release's memory is refreshed (every REFRESH_EVERY evaluations at most), the point is read.
    for (let i = 0; i < 40 && late((await inputs(cache)).cached) === false; i++) t.clock.advance(10);
    expect(late((await inputs(cache)).cached)).toBe(true);
  });
});
