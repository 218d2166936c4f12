// Large batches take the COPY path (services/metrics/copy-batch.ts): the same guarantees as small ones.
// Stored exactly, resent as duplicates, and refused whole, with the small path's message, when a
// point conflicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyPool } from '../../src/services/metrics/copy-batch.js';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TClient, TTestApp } from '../support/test-app.js';
import { pipelineClient, startTestApp } from '../support/test-app.js';

let t: TTestApp;
let pipeline: TClient;
let playbookId: string;
// An hour before the test clock, so 5,000 points a second apart stay in the past.
const T0 = Date.parse('2026-03-02T09:00:00Z');
const SIZE = 5_000;

beforeAll(async () => {
  t = await startTestApp();
  playbookId = await createTestPlaybook(t);
  pipeline = await pipelineClient(t);
}, 120_000);
afterAll(async () => t.close());

async function newRelease(service: string): Promise<string> {
  return (await createTestRelease(t, playbookId, service)).id;
}

function push(releaseId: string, points: unknown[]) {
  return pipeline.post(`/api/releases/${releaseId}/metrics`, { points });
}

/** Point i: canary and baseline alternate, a second apart per pair; values with fractions. */
function bigBatch(size = SIZE) {
  return Array.from({ length: size }, (_, i) => ({
    ts: T0 + (i >> 1) * 1000,
    cohort: i % 2 ? 'canary' : 'baseline',
    metric: 'latency_p95_ms',
    value: ((i * 37) % 1000) + 0.25,
  }));
}

describe('bulk ingest', () => {
  it('runs large batches through COPY, on the embedded database as on a server', () => {
    expect(copyPool(t.db)).toBeDefined();
  });

  it('stores a 5,000-point batch exactly, and takes it again as 5,000 duplicates', async () => {
    const releaseId = await newRelease('bulk-exact');
    const batch = bigBatch();
    const first = await push(releaseId, batch);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ accepted: SIZE, stored: SIZE, duplicates: 0 });

    const rows = await t.db.metricPoint.findMany({ where: { releaseId } });
    expect(rows).toHaveLength(SIZE);
    const key = (p: { ts: number; cohort: string }) => `${p.ts} ${p.cohort}`;
    const byKey = (a: { ts: number; cohort: string }, b: { ts: number; cohort: string }) => a.ts - b.ts || a.cohort.localeCompare(b.cohort);
    const got = rows.map((r) => ({ ts: r.ts.getTime(), cohort: r.cohort as string, metric: r.metric, value: r.value })).sort(byKey);
    expect(got).toEqual([...batch].sort(byKey));
    expect(new Set(got.map(key)).size).toBe(SIZE);

    const again = await push(releaseId, batch);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ accepted: SIZE, stored: 0, duplicates: SIZE });
    expect(await t.db.metricPoint.count({ where: { releaseId } })).toBe(SIZE);

    // Half of it resent with as many new points: the new ones stored, the rest counted as duplicates.
    const later = bigBatch().map((p) => ({ ...p, ts: p.ts - 3_000_000 }));
    const mixed = [...batch.slice(0, SIZE / 2), ...later.slice(0, SIZE / 2)];
    expect((await push(releaseId, mixed)).json()).toEqual({ accepted: SIZE, stored: SIZE / 2, duplicates: SIZE / 2 });
    expect(await t.db.metricPoint.count({ where: { releaseId } })).toBe(SIZE + SIZE / 2);
  });

  it('refuses a whole 5,000-point batch over one point that conflicts with a stored one, as a small batch is refused', async () => {
    const releaseId = await newRelease('bulk-conflict');
    const stored = { ts: T0 - 60_000, cohort: 'canary', metric: 'latency_p95_ms', value: 120 };
    expect((await push(releaseId, [stored])).json()).toEqual({ accepted: 1, stored: 1, duplicates: 0 });

    const conflicting = { ...stored, value: 121 };
    const small = await push(releaseId, [bigBatch(2)[0], bigBatch(2)[1], conflicting]);
    expect(small.statusCode).toBe(400);

    const batch = bigBatch();
    batch.splice(2, 0, conflicting);
    const large = await push(releaseId, batch);
    expect(large.statusCode).toBe(400);
    expect(large.json()).toEqual(small.json());
    expect(large.json().field).toBe('body.points.2.value');
    expect(large.json().message).toMatch(/conflicts: a point already stored .* different value.*nothing of this batch was stored/);
    expect(await t.db.metricPoint.count({ where: { releaseId } })).toBe(1);
  });

  it('refuses a large batch whose own points disagree, naming the earlier one, and stores nothing', async () => {
    const releaseId = await newRelease('bulk-sibling');
    const batch = bigBatch();
    batch.push({ ...batch[10]!, value: batch[10]!.value + 1 });
    const response = await push(releaseId, batch);
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe(`body.points.${SIZE}.value`);
    expect(response.json().message).toMatch(/points\.10 has the same metric, cohort and time with a different value/);
    expect(await t.db.metricPoint.count({ where: { releaseId } })).toBe(0);
  });

  it('takes histograms in a large batch, with their duplicates and conflicts', async () => {
    const releaseId = await newRelease('bulk-histograms');
    const histogram = (count: number) => ({
      ts: T0,
      cohort: 'canary',
      metric: 'latency_ms',
      buckets: [
        { le: 100, count },
        { le: '+Inf', count: 100 },
      ],
    });
    const batch = [...bigBatch(), histogram(60)];
    expect((await push(releaseId, batch)).json()).toEqual({ accepted: SIZE + 1, stored: SIZE + 1, duplicates: 0 });
    expect((await push(releaseId, batch)).json()).toEqual({ accepted: SIZE + 1, stored: 0, duplicates: SIZE + 1 });

    const other = await push(releaseId, [...bigBatch().map((p) => ({ ...p, ts: p.ts - 3_000_000 })), histogram(70)]);
    expect(other.statusCode).toBe(400);
    expect(other.json().field).toBe(`body.points.${SIZE}.buckets`);
    expect(other.json().message).toMatch(/already stored .* different histogram/);
    expect(await t.db.metricPoint.count({ where: { releaseId } })).toBe(SIZE);
    expect(await t.db.metricHistogram.count({ where: { releaseId } })).toBe(1);
  });
});
