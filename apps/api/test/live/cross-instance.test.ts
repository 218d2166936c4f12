// Two API instances on one PostgreSQL: a change made through A reaches a socket connected to B
// (LISTEN/NOTIFY), metric batches published on A reach B, and B survives losing its LISTEN connection.
// Runs on the DATABASE_URL server or on the embedded PostgreSQL alike: both deliver NOTIFY between connections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '@rampart/domain';
import { recordEvents } from '../../src/services/releases/persist-change.js';
import type { TestDatabase } from '../support/database.js';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import { TestSocket, sharedDatabase, startInstance } from './support.js';
import type { TLiveInstance } from './support.js';

describe('two instances on one database', () => {
  let database: TestDatabase;
  let a: TLiveInstance;
  let b: TLiveInstance;
  let playbookId: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    database = await sharedDatabase();
    [a, b] = await Promise.all([startInstance(database), startInstance(database)]);
    playbookId = await createTestPlaybook(a);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  async function socketOn(instance: TLiveInstance) {
    const socket = await TestSocket.open(instance.wsUrl, { cookie: await instance.cookie('support') });
    sockets.push(socket);
    return socket;
  }

  it('both listen (notify mode)', () => {
    expect([a.app.live.mode, b.app.live.mode]).toEqual(['notify', 'notify']);
    expect(a.app.live.instanceId).not.toBe(b.app.live.instanceId);
  });

  it('an action through A reaches a socket on B, with its events and the topic summary', async () => {
    const release = await createTestRelease(a, playbookId);
    const onB = await socketOn(b);
    await onB.subscribe([release.id]);
    onB.send({ type: 'subscribe', topic: 'releases' });
    await onB.waitFor('subscribed', (m) => m.topic === 'releases');

    const item = release.checklist.find((i) => i.key === 'tests-pass')!;
    const changed = await (await a.as('owner')).patch(`/api/releases/${release.id}/checklist/${item.id}`, { status: 'done', note: 'via A' });
    expect(changed.statusCode).toBe(200);
    const revision = changed.json().revision as number;

    const pushed = await onB.waitFor('release', (m) => m.release.revision === revision);
    expect(pushed.release.checklist.find((i) => i.key === 'tests-pass')).toMatchObject({ status: 'done', note: 'via A' });
    expect((await onB.waitFor('events', (m) => m.releaseId === release.id)).events.at(-1)).toMatchObject({ type: 'checklist.updated', revision });
    expect((await onB.waitFor('release-summary', (m) => m.release.revision === revision)).release.id).toBe(release.id);
  });

  it('nothing is announced for a change that did not commit', async () => {
    const release = await createTestRelease(a, playbookId);
    const onB = await socketOn(b);
    await onB.subscribe([release.id]);
    const autopilot: TActor = { kind: 'system', userId: null, name: 'autopilot', role: 'admin', approvalRoles: [] };
    const rolledBack = a.db.$transaction(async (tx) => {
      await recordEvents(tx, release.id, release.revision + 1, autopilot, [{ type: 'release.paused', data: { marker: 'rolled back' } }], new Date());
      throw new Error('abandon');
    });
    await expect(rolledBack).rejects.toThrow('abandon');
    const item = release.checklist.find((i) => i.key === 'tests-pass')!;
    const ok = (await (await a.as('owner')).patch(`/api/releases/${release.id}/checklist/${item.id}`, { status: 'done' })).json();
    await onB.waitFor('events', (m) => m.events.some((e) => e.revision === ok.revision));
    const seen = onB.messages.flatMap((m) => (m.type === 'events' ? m.events : []));
    expect(seen.some((e) => e.data['marker'] === 'rolled back')).toBe(false);
    expect(seen.every((e) => e.revision === release.revision || e.revision === ok.revision)).toBe(true);
  });

  it('metric points published on A after their commit reach B, loaded by their time range', async () => {
    const release = await createTestRelease(a, playbookId);
    const onA = await socketOn(a);
    const onB = await socketOn(b);
    await onA.subscribe([release.id]);
    await onB.subscribe([release.id]);
    const ts = Date.parse('2026-03-02T10:05:00Z');
    const points = [
      { ts, cohort: 'canary' as const, metric: 'requests', value: 120 },
      { ts: ts + 1000, cohort: 'baseline' as const, metric: 'latency_p95_ms', value: 210 },
    ];
    await a.db.metricPoint.createMany({ data: points.map((p) => ({ releaseId: release.id, ...p, ts: new Date(p.ts) })) });
    a.app.live.publishMetrics(release.id, points);
    expect((await onA.waitFor('metrics')).points).toEqual(points);
    expect((await onB.waitFor('metrics')).points).toEqual(points);
    // A pushed its own batch directly and ignored its own notice: exactly one frame.
    await onA.subscribe([release.id]);
    expect(onA.messages.filter((m) => m.type === 'metrics')).toHaveLength(1);
  });

  it('after B loses its LISTEN connection it reconnects and tells its sockets to refetch', async () => {
    const release = await createTestRelease(a, playbookId);
    const onB = await socketOn(b);
    await onB.subscribe([release.id]);
    const from = onB.messages.length;
    b.app.live.listener!.simulateDrop();
    await onB.waitFor('resync', (m) => m.reason === 'reconnected', { from });
    await onB.waitFor('release', (m) => m.release.id === release.id, { from });

    const item = release.checklist.find((i) => i.key === 'tests-pass')!;
    const revision = (await (await a.as('owner')).patch(`/api/releases/${release.id}/checklist/${item.id}`, { status: 'done' })).json().revision;
    await onB.waitFor('release', (m) => m.release.revision === revision);
  });
});
