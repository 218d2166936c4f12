// The autopilot keeps each release's stored analysis as it wrote it, so that a pass neither reads it back
// nor parses it again. On a real database: at every evaluation, what the memory holds is what a fresh read
// of the row gives, whether the analysis went out in the pass's shared write, in a transaction with events
// (verdict changes), or was not written at all; and a row written by another path is read again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlaybookSpecInput } from '@rampart/contracts';
import type { TJudgementMemory } from '../../src/autopilot/evaluate-release.js';
import { evaluateReleases } from '../../src/autopilot/evaluate-release.js';
import { loadJudgedReleases } from '../../src/autopilot/judged-releases.js';
import { BinCache } from '../../src/services/judgement/bin-cache.js';
import type { TClient, TTestApp } from '../support/test-app.js';
import { pipelineClient, startTestApp } from '../support/test-app.js';

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 600, initialDelaySeconds: 0 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 0 },
  ],
  gates: [
    { key: 'errors', name: 'Error rate above 5%', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.05, severity: 'warn' },
    { key: 'errors-vs-baseline', name: 'Errors against the baseline', kind: 'sequential', metric: 'error_rate', severity: 'warn' },
  ],
  automation: { autoAdvance: false, autoPause: false, autoRollback: false },
};

let t: TTestApp;
let pipeline: TClient;
let releaseId: string;

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.as('admin');
  await admin.post('/api/playbooks', { key: 'memory', name: 'Memory', spec: SPEC });
  const owner = await t.as('owner');
  pipeline = await pipelineClient(t);
  const created = (await owner.post('/api/releases', { service: 'memory', version: '1.0.0', playbookId: await t.playbookId('memory') })).json();
  const started = await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision });
  expect(started.statusCode, started.body).toBe(200);
  releaseId = created.id;
});
afterAll(async () => t.close());

async function push(ts: number, errors: number) {
  const points = [
    { ts, cohort: 'canary', metric: 'requests', value: 500 },
    { ts, cohort: 'canary', metric: 'errors', value: errors },
    { ts, cohort: 'baseline', metric: 'requests', value: 9000 },
    { ts, cohort: 'baseline', metric: 'errors', value: 9 },
  ];
  const response = await pipeline.post(`/api/releases/${releaseId}/metrics`, { points });
  expect(response.statusCode, response.body).toBe(202);
}

/** The analysis the memory would judge from, and the one the row holds, read afresh. */
async function keptAndStored(memory: TJudgementMemory) {
  const [kept] = await loadJudgedReleases(t.db, [releaseId], memory.releases);
  const [fresh] = await loadJudgedReleases(t.db, [releaseId]);
  return { kept: kept!.stored, stored: fresh!.stored };
}

describe("the autopilot's memory of stored analyses", () => {
  it('holds what the row holds at every evaluation, however the analysis was written', async () => {
    const memory: TJudgementMemory = { bins: new BinCache(), releases: new Map() };
    const reads: string[] = [];
    for (let step = 0; step < 40; step++) {
      t.clock.advance(10);
      const now = t.clock.now().getTime();
      // Healthy, then a burst of errors (verdicts change: events, written in their own transaction), then
      // healthy again, with a few silent steps (nothing new: nothing written).
      if (step % 9 !== 4) await push(now - 1, step >= 15 && step < 25 ? 150 : 1);
      const [outcome] = await evaluateReleases({ db: t.db, clock: t.clock, memory }, [releaseId]);
      expect(outcome?.error).toBeUndefined();
      expect(outcome?.evaluation).not.toBeNull();
      const { kept, stored } = await keptAndStored(memory);
      expect(kept).toEqual(stored);
      reads.push(stored?.gates.map((g) => g.verdict).join(',') ?? 'none');
    }
    // The walk went through verdict changes, so both write paths were taken.
    expect(new Set(reads).size).toBeGreaterThan(1);
  });

  it('reads the row again when its analysis was written by another path', async () => {
    const memory: TJudgementMemory = { bins: new BinCache(), releases: new Map() };
    t.clock.advance(10);
    await push(t.clock.now().getTime() - 1, 1);
    await evaluateReleases({ db: t.db, clock: t.clock, memory }, [releaseId]);
    const row = await t.db.release.findUniqueOrThrow({ where: { id: releaseId }, select: { analysis: true } });
    const changed = { ...(row.analysis as object), breachedThisStage: ['written-elsewhere'] };
    await t.db.release.update({ where: { id: releaseId }, data: { analysis: changed, analyzedAt: new Date(t.clock.now().getTime() + 1) } });
    const { kept, stored } = await keptAndStored(memory);
    expect(stored?.breachedThisStage).toEqual(['written-elsewhere']);
    expect(kept).toEqual(stored);
  });
});
