// A breach so strong that a sequential e-value could overflow: the analysis must still load, with
// finite numbers only (JSON has no Infinity; an infinity here once made the route answer 500).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAnalysis, TPlaybookSpecInput } from '@rampart/contracts';
import { evaluateRelease } from '../../src/autopilot/evaluate-release.js';
import { finiteAnalysis } from '../../src/services/judgement/finite-analysis.js';
import type { TClient, TTestApp } from '../support/test-app.js';
import { pipelineClient, startTestApp } from '../support/test-app.js';

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 3600 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 600 },
  ],
  gates: [
    {
      key: 'errors-sequential',
      name: 'Canary error rate not worse than baseline (sequential test)',
      kind: 'sequential',
      metric: 'error_rate',
      alpha: 0.01,
      severity: 'rollback',
      stages: ['canary'],
    },
  ],
  // Nothing acts: the test reads the analysis, it does not watch a rollback.
  automation: { autoAdvance: false, autoPause: false, autoRollback: false },
};

let t: TTestApp;
let owner: TClient;
let pipeline: TClient;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.as('admin');
  const created = await admin.post('/api/playbooks', { key: 'sequential-errors', name: 'Sequential errors', spec: SPEC });
  expect(created.statusCode, created.body).toBe(201);
  owner = await t.as('owner');
  pipeline = await pipelineClient(t);
});
afterAll(async () => t.close());

/** Every number in a JSON value, with its path. */
function numbersIn(value: unknown, path = ''): [string, unknown][] {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}.${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}

describe('the analysis of an overwhelming error breach', () => {
  it('answers 200 with finite numbers: canary 100% errors against a baseline at 1%, for an hour', async () => {
    const release = (await owner.post('/api/releases', { service: 'outage', version: '2.0.0', playbookId: await t.playbookId('sequential-errors') })).json();
    const started = (await owner.post(`/api/releases/${release.id}/actions/start`, { expectedRevision: release.revision })).json();
    const ramped = await owner.post(`/api/releases/${release.id}/actions/ramp`, { expectedRevision: started.revision });
    expect(ramped.statusCode, ramped.body).toBe(200);

    // An hour of 10-second windows at 1000 req/s: 50 canary requests a window, every one failing. The
    // evidence grows past e^709 within the hour, where a plain exp() overflows to Infinity.
    const stageStart = t.clock.now().getTime();
    t.clock.advance(3600);
    const points = [];
    for (let w = 1; w <= 360; w++) {
      const ts = stageStart + w * 10_000 - 1;
      points.push(
        { ts, cohort: 'canary', metric: 'requests', value: 50 },
        { ts, cohort: 'canary', metric: 'errors', value: 50 },
        { ts, cohort: 'baseline', metric: 'requests', value: 950 },
        { ts, cohort: 'baseline', metric: 'errors', value: w % 2 ? 9 : 10 },
      );
    }
    const pushed = await pipeline.post(`/api/releases/${release.id}/metrics`, { points });
    expect(pushed.statusCode, pushed.body).toBe(202);

    const response = await owner.get(`/api/releases/${release.id}/analysis`);
    expect(response.statusCode, response.body).toBe(200);
    // The raw text too: JSON.parse would never show an Infinity, but a NaN or Infinity token would fail it.
    const analysis: TAnalysis = JSON.parse(response.body).analysis;
    expect(analysis.gates[0]).toMatchObject({ key: 'errors-sequential', verdict: 'fail' });
    expect(analysis.gates[0]!.evidence.eValue).toBeGreaterThanOrEqual(analysis.gates[0]!.evidence.eValueToFail!);
    for (const [path, n] of numbersIn(analysis)) expect(Number.isFinite(n), `analysis${path} = ${String(n)}`).toBe(true);

    // The autopilot's evaluation of the same release stores and publishes it without trouble.
    const evaluation = await evaluateRelease({ db: t.db, clock: t.clock }, release.id);
    expect(evaluation?.analysis.gates[0]?.verdict).toBe('fail');
    const page = await owner.get(`/api/releases/${release.id}`);
    expect(page.statusCode, page.body).toBe(200);
  });

  it('clamps an infinity that slips out of the engine to the largest double, and makes a NaN null', () => {
    const evidence = { canary: 1, baseline: 0.01, threshold: null, windowSeconds: 600, sampleSize: 9000, breachedForSeconds: null, eValue: Infinity, eValueToFail: 100 };
    const analysis: TAnalysis = {
      evaluatedAt: '2026-03-02T10:00:00.000Z',
      stage: 'canary',
      verdict: 'fail',
      score: 0,
      breakdown: [{ gate: 'g', verdict: 'fail', weight: 1, points: 0 }],
      gates: [{ key: 'g', name: 'G', kind: 'sequential', metric: 'error_rate', severity: 'rollback', verdict: 'fail', summary: 's', evidence: { ...evidence, baseline: NaN } }],
    };
    const safe = finiteAnalysis(analysis);
    expect(safe.gates[0]!.evidence).toEqual({ ...evidence, eValue: Number.MAX_VALUE, baseline: null });
    expect(JSON.parse(JSON.stringify(safe))).toEqual(safe);
  });
});
