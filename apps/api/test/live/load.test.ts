// A bounded load check: 200 dashboards on one busy release. A burst of changes over HTTP (and metric
// batches) reaches every socket in its final state, and the server keeps answering meanwhile. The
// figures are printed, not asserted tightly: they depend on the machine and on what else runs.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/database.js';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import { sharedDatabase, startInstance } from './support.js';
import type { TLiveInstance } from './support.js';

const SOCKETS = 200;
const CHANGES = 20;
const METRIC_BATCHES = 20;

let database: TestDatabase;
let t: TLiveInstance;

beforeAll(async () => {
  database = await sharedDatabase();
  t = await startInstance(database);
});
afterAll(async () => {
  await t.close();
  await database.drop();
});

/** The sockets run in a worker thread: their parsing is not the server's load. */
function clientsWorker(data: { url: string; cookie: string; releaseId: string; count: number }) {
  const worker = new Worker(new URL('./load-clients.mjs', import.meta.url), { workerData: data });
  const ask = <T>(command: Record<string, unknown>, answer: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== answer) return;
        worker.off('message', onMessage);
        resolve(message as T);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage(command);
    });
  return { worker, ask };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

describe('200 dashboards on one busy release', () => {
  it('all receive the final state while /health keeps answering', { timeout: 120_000 }, async () => {
    const release = await createTestRelease(t, await createTestPlaybook(t));
    const item = release.checklist.find((i) => i.key === 'tests-pass')!;
    const cookie = await t.cookie('support');
    const ownerCookie = await t.cookie('owner');

    const connectStart = performance.now();
    const clients = clientsWorker({ url: t.wsUrl, cookie, releaseId: release.id, count: SOCKETS });
    await clients.ask({ type: 'open' }, 'ready');
    const connectMs = performance.now() - connectStart;

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    const health: number[] = [];
    let bursting = true;
    const probe = (async () => {
      while (bursting) {
        const started = performance.now();
        const response = await fetch(`${t.httpUrl}/health`);
        await response.arrayBuffer();
        health.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    loopDelay.enable();
    const burstStart = performance.now();
    const metrics = (async () => {
      for (let b = 0; b < METRIC_BATCHES; b += 1) {
        const first = Date.parse('2026-03-02T10:00:00Z') + b * 1000;
        t.app.live.publishMetrics(release.id, Array.from({ length: 200 }, (_, j) => ({ ts: first + j, cohort: 'canary' as const, metric: 'requests', value: j })));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    let revision = release.revision;
    for (let i = 0; i < CHANGES; i += 1) {
      const response = await fetch(`${t.httpUrl}/api/releases/${release.id}/checklist/${item.id}`, {
        method: 'PATCH',
        headers: { cookie: ownerCookie, 'content-type': 'application/json' },
        body: JSON.stringify({ status: i % 2 === 0 ? 'done' : 'open' }),
      });
      expect(response.status).toBe(200);
      revision = ((await response.json()) as { revision: number }).revision;
    }
    const lastChange = performance.now(); // the last change's response
    await metrics;
    const done = await clients.ask<{ lastArrival: number; releaseFramesPerSocket: number; points: number[] }>(
      { type: 'wait', revision, points: METRIC_BATCHES * 200 },
      'done',
    );
    const allReceived = done.lastArrival - performance.timeOrigin;
    bursting = false;
    await probe;
    loopDelay.disable();

    const figures = {
      mode: t.app.live.mode,
      database: process.env['DATABASE_URL'] ? 'PostgreSQL server' : 'embedded PostgreSQL',
      sockets: SOCKETS,
      changes: CHANGES,
      metricBatches: METRIC_BATCHES,
      connectAndSubscribeMs: Math.round(connectMs),
      burstMs: Math.round(lastChange - burstStart),
      burstToAllReceivedMs: Math.round(allReceived - burstStart),
      lastChangeToAllReceivedMs: Math.round(allReceived - lastChange),
      releaseFramesPerSocket: done.releaseFramesPerSocket,
      healthProbes: health.length,
      healthP50Ms: Math.round(percentile(health, 50)),
      healthP95Ms: Math.round(percentile(health, 95)),
      healthMaxMs: Math.round(Math.max(...health)),
      eventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e6),
      eventLoopDelayMaxMs: Math.round(loopDelay.max / 1e6),
      ...t.app.live.hub.stats,
    };
    console.log('live load:', JSON.stringify(figures, null, 1));

    expect(done.points.every((n) => n === METRIC_BATCHES * 200)).toBe(true);
    await clients.ask({ type: 'close' }, 'closed');
    await clients.worker.terminate();
    expect(health.length).toBeGreaterThan(0);
    expect(figures.healthMaxMs).toBeLessThan(5000);
    expect(figures.framesSkipped).toBe(0);
  });
});
