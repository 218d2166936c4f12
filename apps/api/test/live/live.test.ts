// GET /api/ws on one instance: who may connect, what a subscriber receives after a change made over
// HTTP, events in order without gaps, the releases topic, published metrics and analysis, bad frames.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { TAnalysis, TReleaseEvent } from '@rampart/contracts';
import type { TActor } from '@rampart/domain';
import { recordEvents } from '../../src/services/releases/persist-change.js';
import type { TestDatabase } from '../support/database.js';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import { TestSocket, sharedDatabase, startInstance } from './support.js';
import type { TLiveInstance } from './support.js';

let database: TestDatabase;
let t: TLiveInstance;
let playbookId: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  database = await sharedDatabase();
  t = await startInstance(database);
  playbookId = await createTestPlaybook(t);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await t.close();
  await database.drop();
});

async function openAs(user: 'owner' | 'support' = 'support') {
  const socket = await TestSocket.open(t.wsUrl, { cookie: await t.cookie(user) });
  sockets.push(socket);
  return socket;
}

async function tick(releaseId: string, itemId: string, status: 'done' | 'open') {
  const response = await (await t.as('owner')).patch(`/api/releases/${releaseId}/checklist/${itemId}`, { status });
  expect(response.statusCode).toBe(200);
  return response.json() as { revision: number };
}

describe('connecting', () => {
  it('needs the session cookie or a bearer token allowed to read releases (401/403 otherwise)', async () => {
    await expect(TestSocket.open(t.wsUrl, {})).rejects.toThrow('HTTP 401');
    await expect(TestSocket.open(t.wsUrl, { cookie: 'rampart_session=forged' })).rejects.toThrow('HTTP 401');
    await expect(TestSocket.open(t.wsUrl, { authorization: 'Bearer rpt_nope' })).rejects.toThrow('HTTP 401');

    const owner = await t.as('owner');
    const pipeline = (await owner.post('/api/tokens', { name: 'pipe', scopes: ['metrics:write'] })).json().token as string;
    await expect(TestSocket.open(t.wsUrl, { authorization: `Bearer ${pipeline}` })).rejects.toThrow('HTTP 403');
    const reader = (await owner.post('/api/tokens', { name: 'board', scopes: ['releases:read'] })).json().token as string;
    const socket = await TestSocket.open(t.wsUrl, { authorization: `Bearer ${reader}` });
    sockets.push(socket);
    socket.send({ type: 'ping' });
    await socket.waitFor('pong');
  });

  it('a refused upgrade gets its HTTP answer and the server closes the connection', async () => {
    const { port } = new URL(t.wsUrl);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.write(
      'GET /api/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    await new Promise((resolve) => socket.on('end', resolve));
    expect(answer).toMatch(/^HTTP\/1.1 401/);
    socket.destroy();
  });

  it('is refused as a websocket on a plain HTTP route', async () => {
    const ws = new WebSocket(t.wsUrl.replace('/api/ws', '/api/releases'), { headers: { cookie: await t.cookie('owner') } });
    const closed = await new Promise<boolean>((resolve) => {
      ws.on('close', () => resolve(true));
      ws.on('error', () => resolve(true));
    });
    expect(closed).toBe(true);
  });
});

describe('a subscriber', () => {
  it('gets the release on subscribe, then the release and its new events after a change over HTTP', async () => {
    const release = await createTestRelease(t, playbookId);
    const socket = await openAs();
    await socket.subscribe([release.id]);
    const first = await socket.waitFor('release', (m) => m.release.id === release.id);
    expect(first.release).toEqual((await (await t.as('support')).get(`/api/releases/${release.id}`)).json());

    const item = release.checklist.find((i) => i.key === 'tests-pass')!;
    const after = await tick(release.id, item.id, 'done');
    const pushed = await socket.waitFor('release', (m) => m.release.revision === after.revision);
    expect(pushed.release.checklist.find((i) => i.key === 'tests-pass')).toMatchObject({ status: 'done' });
    // The creation's own events frame may still be on its way: wait for the one carrying the tick.
    const events = await socket.waitFor('events', (m) => m.releaseId === release.id && m.events.some((e) => e.type === 'checklist.updated'));
    expect(events.events.map((e) => e.type)).toEqual(['checklist.updated']);
    expect(events.previousId).not.toBeNull();
  });

  it('receives every event once, oldest first, each frame chained to the one before (no gap)', async () => {
    const release = await createTestRelease(t, playbookId);
    const item = release.checklist.find((i) => i.key === 'tests-pass')!;
    const socket = await openAs();
    await socket.subscribe([release.id]);
    const history = (await (await t.as('support')).get(`/api/releases/${release.id}/events?limit=200`)).json().events as TReleaseEvent[];
    let lastKnown = history[0]!.id; // newest first over HTTP

    let revision = 0;
    for (let i = 0; i < 12; i += 1) revision = (await tick(release.id, item.id, i % 2 === 0 ? 'done' : 'open')).revision;
    await socket.waitFor('release', (m) => m.release.revision === revision);
    const expected = (await (await t.as('support')).get(`/api/releases/${release.id}/events?limit=200`)).json().events as TReleaseEvent[];
    const newIds = expected.map((e) => e.id).filter((id) => BigInt(id) > BigInt(lastKnown)).reverse();
    await socket.waitFor('events', (m) => m.events.some((e) => e.id === newIds.at(-1)));

    // A client's rule: a frame whose previousId is newer than the last event it knows means a gap; an
    // older one overlaps (a push that was in flight when it subscribed) and its known ids are dropped.
    const received: string[] = [];
    for (const frame of socket.messages) {
      if (frame.type !== 'events') continue;
      expect(frame.previousId === null || BigInt(frame.previousId) <= BigInt(lastKnown)).toBe(true);
      const ids = frame.events.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => Number(BigInt(a) - BigInt(b))));
      const fresh = ids.filter((id) => BigInt(id) > BigInt(lastKnown));
      received.push(...fresh);
      if (fresh.length > 0) lastKnown = fresh.at(-1)!;
    }
    expect(received).toEqual(newIds);
    // Coalescing: fewer release frames than changes is fine, but the last one is the final state.
    const releaseFrames = socket.messages.filter((m) => m.type === 'release');
    expect(releaseFrames.at(-1)).toMatchObject({ release: { revision } });
  });

  it('never gets a change that did not commit, and is not held up by it', async () => {
    const release = await createTestRelease(t, playbookId);
    const socket = await openAs();
    await socket.subscribe([release.id]);
    const autopilot: TActor = { kind: 'system', userId: null, name: 'autopilot', role: 'admin', approvalRoles: [] };
    const rolledBack = t.db.$transaction(async (tx) => {
      await recordEvents(tx, release.id, release.revision + 1, autopilot, [{ type: 'release.paused', data: { marker: 'rolled back' } }], new Date());
      throw new Error('abandon');
    });
    await expect(rolledBack).rejects.toThrow('abandon');
    const ok = await tick(release.id, release.checklist.find((i) => i.key === 'tests-pass')!.id, 'done');
    await socket.waitFor('events', (m) => m.events.some((e) => e.revision === ok.revision), { timeoutMs: 3000 });
    const seen = socket.messages.flatMap((m) => (m.type === 'events' ? m.events : []));
    expect(seen.some((e) => e.data['marker'] === 'rolled back')).toBe(false);
  });

  it('on the releases topic gets the summary of any release that changes', async () => {
    const socket = await openAs();
    socket.send({ type: 'subscribe', topic: 'releases' });
    await socket.waitFor('subscribed', (m) => m.topic === 'releases');
    const release = await createTestRelease(t, playbookId);
    const summary = await socket.waitFor('release-summary', (m) => m.release.id === release.id);
    expect(summary.release).toMatchObject({ id: release.id, state: 'draft', service: 'checkout' });
    expect(summary.release).not.toHaveProperty('checklist');
    expect(socket.messages.some((m) => m.type === 'release')).toBe(false);
  });

  it('gets metric batches and analyses published by ingestion and the autopilot, and nothing after unsubscribing', async () => {
    const release = await createTestRelease(t, playbookId);
    const socket = await openAs();
    await socket.subscribe([release.id]);
    const base = Date.parse('2026-03-02T10:00:00Z');
    t.app.live.publishMetrics(release.id, [
      { ts: base, cohort: 'canary', metric: 'requests', value: 100 },
      { ts: new Date(base), cohort: 'baseline', metric: 'requests', value: 90 },
    ]);
    t.app.live.publishMetrics(release.id, [{ ts: base + 1000, cohort: 'canary', metric: 'errors', value: 1 }]);
    const metrics = await socket.waitFor('metrics');
    expect(metrics.points).toHaveLength(3); // two publishes within the window: one frame
    expect(metrics.points[1]).toEqual({ ts: base, cohort: 'baseline', metric: 'requests', value: 90 });

    const analysis: TAnalysis = { evaluatedAt: '2026-03-02T10:01:00.000Z', stage: 'canary', verdict: 'pass', score: 100, breakdown: [], gates: [] };
    t.app.live.publishAnalysis(release.id, analysis);
    expect((await socket.waitFor('analysis')).analysis).toEqual(analysis);

    // A witness still subscribed shows when the pushes went out; frames on one socket keep their order,
    // so anything pushed to the unsubscribed socket would arrive before the pong that follows.
    const witness = await openAs();
    await witness.subscribe([release.id]);
    socket.send({ type: 'unsubscribe', releaseIds: [release.id] });
    socket.send({ type: 'ping' });
    const count = socket.messages.length;
    await socket.waitFor('pong', () => true, { from: count });
    t.app.live.publishMetrics(release.id, [{ ts: base + 2000, cohort: 'canary', metric: 'errors', value: 2 }]);
    const after = await tick(release.id, release.checklist.find((i) => i.key === 'tests-pass')!.id, 'done');
    await witness.waitFor('metrics', (m) => m.points.some((p) => p.value === 2));
    await witness.waitFor('release', (m) => m.release.revision === after.revision);
    socket.send({ type: 'ping' });
    await socket.waitFor('pong', () => true, { from: count + 1 });
    expect(socket.messages.slice(count).map((m) => m.type)).toEqual(['pong', 'pong']);
  });
});

describe('bad frames', () => {
  it('are answered with an error frame naming the problem, and the socket keeps working', async () => {
    const socket = await openAs();
    const cases: [unknown, RegExp][] = [
      ['not json', /not valid JSON/],
      [{ type: 'shout' }, /type must be subscribe, unsubscribe or ping/],
      [[1, 2], /type must be/],
      [null, /type must be/],
      [{ type: 'subscribe' }, /bad subscribe: releaseIds/],
      [{ type: 'subscribe', releaseIds: ['nope'] }, /bad subscribe: releaseIds\.0/],
      [{ type: 'subscribe', releaseIds: [] }, /bad subscribe: releaseIds/],
      [{ type: 'subscribe', releaseIds: Array.from({ length: 51 }, () => crypto.randomUUID()) }, /bad subscribe: releaseIds/],
      [{ type: 'subscribe', topic: 'everything' }, /bad subscribe: topic/],
      [{ type: 'ping', extra: 1 }, /bad ping/],
      [{ type: 'subscribe', releaseIds: ['00000000-0000-4000-8000-000000000000'] }, /release 00000000-0000-4000-8000-000000000000 not found/],
    ];
    for (const [frame, message] of cases) {
      const from = socket.messages.length;
      socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      const error = await socket.waitFor('error', () => true, { from });
      expect(error.message).toMatch(message);
    }
    const from = socket.messages.length;
    socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await socket.waitFor('error', () => true, { from })).message).toMatch(/not binary/);

    socket.send({ type: 'ping' });
    await socket.waitFor('pong');
    expect(socket.closed).toBe(false);
  });

  it('a frame over 64 KiB closes that socket (1009) and nothing else', async () => {
    const socket = await openAs();
    const code = new Promise<number>((resolve) => socket.ws.on('close', (c) => resolve(c)));
    socket.send('x'.repeat(70 * 1024));
    expect(await code).toBe(1009);
    const other = await openAs();
    other.send({ type: 'ping' });
    await other.waitFor('pong');
  });
});
