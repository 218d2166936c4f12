import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneMetrics } from '../../src/services/metrics/prune-metrics.js';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

let t: TTestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('pruning metric points', () => {
  it('drops the points of releases finished longer ago than the retention, and keeps the rest', async () => {
    const playbookId = await createTestPlaybook(t);
    const old = await createTestRelease(t, playbookId, 'old');
    const recent = await createTestRelease(t, playbookId, 'recent');
    const active = await createTestRelease(t, playbookId, 'active');
    const now = t.clock.now();
    const day = 86_400_000;
    await t.db.release.update({ where: { id: old.id }, data: { state: 'completed', finishedAt: new Date(now.getTime() - 31 * day) } });
    await t.db.release.update({ where: { id: recent.id }, data: { state: 'completed', finishedAt: new Date(now.getTime() - 29 * day) } });
    for (const { id } of [old, recent, active]) {
      await t.db.metricPoint.createMany({
        data: [0, 1, 2].map((i) => ({ releaseId: id, cohort: 'canary' as const, metric: 'requests', ts: new Date(now.getTime() - 40 * day + i), value: 1 })),
      });
      await t.db.metricHistogram.create({ data: { releaseId: id, cohort: 'canary', metric: 'latency_ms', ts: new Date(now.getTime() - 40 * day), bounds: [1, 2], counts: [1, 2] } });
    }
    expect(await pruneMetrics(t.db, now, 30)).toEqual({ points: 3, histograms: 1 });
    expect(await t.db.metricPoint.count({ where: { releaseId: old.id } })).toBe(0);
    expect(await t.db.metricPoint.count({ where: { releaseId: recent.id } })).toBe(3);
    expect(await t.db.metricPoint.count({ where: { releaseId: active.id } })).toBe(3);
    expect(await t.db.releaseEvent.count({ where: { releaseId: old.id } })).toBeGreaterThan(0);
  });
});
