// A socket that stops reading never makes the server buffer without bound: its metric batches are
// skipped while a normal socket on the same release keeps receiving every one; once it reads again it
// is told to resync; one that stays behind is dropped.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/database.js';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import { TestSocket, sharedDatabase, startInstance } from './support.js';
import type { TLiveInstance } from './support.js';

let database: TestDatabase;
let t: TLiveInstance;

beforeAll(async () => {
  database = await sharedDatabase();
  t = await startInstance(database, {
    backpressure: { skipMetricsBytes: 64 * 1024, skipAllBytes: 256 * 1024, dropAfterMs: 1500 },
    pressureCheckMs: 100,
    coalesceMs: 10,
  });
});
afterAll(async () => {
  await t.close();
  await database.drop();
});

const rawSocket = (socket: TestSocket) => (socket.ws as unknown as { _socket: Socket })._socket;

describe('a slow socket', () => {
  it('is skipped, then told to resync or dropped, while a normal socket keeps receiving', async () => {
    const release = await createTestRelease(t, await createTestPlaybook(t));
    const cookie = await t.cookie('support');
    const normal = await TestSocket.open(t.wsUrl, { cookie });
    const lagger = await TestSocket.open(t.wsUrl, { cookie });
    const stuck = await TestSocket.open(t.wsUrl, { cookie });
    for (const socket of [normal, lagger, stuck]) await socket.subscribe([release.id]);
    const [, laggerOnServer] = [...t.app.live.hub.clients];
    rawSocket(lagger).pause();
    rawSocket(stuck).pause();

    const base = Date.parse('2026-03-02T10:00:00Z');
    const started = performance.now();
    let batches = 0;
    // About 140 KB per batch; loopback kernel buffers take several MB before ws buffers anything.
    let laggerResumedAfter = 0;
    while (batches < 600 && t.app.live.hub.clients.size > 2) {
      // The lagger reads again as soon as it was skipped once; the stuck one never does.
      if (laggerOnServer!.skipped > 0 && laggerResumedAfter === 0) {
        laggerResumedAfter = batches;
        rawSocket(lagger).resume();
      }
      const first = base + batches * 10_000;
      const points = Array.from({ length: 2000 }, (_, j) => ({ ts: first + j, cohort: 'canary' as const, metric: 'requests', value: j }));
      t.app.live.publishMetrics(release.id, points);
      await normal.waitFor('metrics', (m) => m.points[0]?.ts === first, { from: Math.max(0, normal.messages.length - 2) });
      batches += 1;
    }
    const stats = { ...t.app.live.hub.stats, batches, laggerResumedAfter, ms: Math.round(performance.now() - started) };
    console.log('slow sockets:', JSON.stringify(stats));

    expect(t.app.live.hub.clients.size).toBe(2); // the stuck one was dropped
    expect(stats.dropped).toBeGreaterThanOrEqual(1);
    expect(laggerOnServer!.skipped).toBeGreaterThan(0);
    expect(normal.messages.filter((m) => m.type === 'metrics')).toHaveLength(batches); // never skipped

    const resync = await lagger.waitFor('resync');
    expect(resync).toEqual({ type: 'resync', reason: 'lagging', releaseIds: [release.id] });
    expect(lagger.messages.filter((m) => m.type === 'metrics').length).toBeLessThan(batches);

    rawSocket(stuck).resume();
    await new Promise((resolve) => (stuck.closed ? resolve(null) : stuck.ws.once('close', resolve)));
    normal.close();
    lagger.close();
  });
});
