import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TTestApp } from '../support/test-app.js';
import { Receiver, acks, createWebhook, deleteAllWebhooks, emitEvents, startWebhookApp, until } from './support.js';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
let t: TTestApp;
let playbookId: string;
const receivers: Receiver[] = [];

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start(0);
  receivers.push(r);
  return r;
}

beforeAll(async () => {
  t = await startWebhookApp();
  playbookId = await createTestPlaybook(t);
});
afterEach(async () => {
  await deleteAllWebhooks(t);
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
afterAll(async () => t.close());

/** What a receiver does (the README's recipe): the Standard Webhooks library verifies id, timestamp and body. */
function receiverVerifies(secret: string, headers: Record<string, unknown>, body: string): boolean {
  try {
    new Webhook(secret).verify(body, headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

describe('deliveries to a real receiver on loopback', () => {
  it('signs each delivery so the receiver can verify it, with an idempotency key and the documented body', async () => {
    const r = await receiver();
    const webhook = await createWebhook(t, { url: r.url, secret: SECRET, events: ['release.created'] });
    const release = await createTestRelease(t, playbookId);
    await until('the delivery', () => r.received.length >= 1);
    const [request] = r.received;
    if (!request) throw new Error('nothing received');
    expect(receiverVerifies(SECRET, request.headers, request.body)).toBe(true);
    expect(receiverVerifies(`whsec_${Buffer.alloc(32, 2).toString('base64')}`, request.headers, request.body)).toBe(false);
    // A replay of the captured request under another id, or with an old timestamp, fails.
    expect(receiverVerifies(SECRET, { ...request.headers, 'webhook-id': 'another-id' }, request.body)).toBe(false);
    expect(receiverVerifies(SECRET, { ...request.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 301) }, request.body)).toBe(false);
    const body = JSON.parse(request.body);
    const delivery = await t.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-rampart-event': 'release.created',
      'x-rampart-delivery': delivery.id,
      'idempotency-key': `${body.id}:${webhook.id}`,
      'webhook-id': `${body.id}:${webhook.id}`,
    });
    expect(body).toMatchObject({
      type: 'release.created',
      createdAt: '2026-03-02T10:00:00.000Z',
      release: { id: release.id, service: 'checkout', version: '1.2.3', state: 'draft', stage: null, desiredPercent: 0, acknowledgedPercent: 0, url: `https://rampart.example.com/releases/${release.id}` },
      event: { id: body.id, type: 'release.created', actor: 'owner@rampart.test', data: { service: 'checkout', version: '1.2.3' } },
    });
    await until('the row marked delivered', async () => (await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status === 'delivered');
    expect(await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ attempts: 1, lastStatusCode: 204 });
  });

  it('sends the playbook\'s filled template in the Slack format, and a one-line summary for other events', async () => {
    const r = await receiver();
    await createWebhook(t, { url: r.url, secret: SECRET, events: ['*'], format: 'slack' });
    const release = await createTestRelease(t, playbookId, 'payments');
    await emitEvents(t.db, release.id, [{ type: 'release.ramped', data: { from: 'staging', to: 'canary' } }]);
    await until('two messages', () => r.received.length >= 2);
    const texts = r.received.map((x) => JSON.parse(x.body) as { text: string });
    expect(Object.keys(texts[0] ?? {})).toEqual(['text']);
    expect(texts[0]?.text).toBe(`payments 1.2.3: release.created by owner@rampart.test. Now draft at 0%. https://rampart.example.com/releases/${release.id}`);
    // The test playbook's progress template, unescaped: "&" stays "&".
    expect(texts[1]?.text).toBe('payments 1.2.3: Draft at not started (0%) & counting');
  });

  it('does not follow redirects: a 3xx is a failed attempt, retried later', async () => {
    const elsewhere = await receiver();
    const r = await receiver();
    r.behaviour = { status: 302, headers: { location: elsewhere.url } };
    const webhook = await createWebhook(t, { url: r.url, secret: SECRET, events: ['release.created'] });
    await createTestRelease(t, playbookId);
    await until('two attempts', () => r.received.length >= 2);
    expect(elsewhere.received).toHaveLength(0);
    const row = await t.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(row).toMatchObject({ status: 'pending', lastStatusCode: 302 });
    expect(row.lastError).toContain('redirects are not followed');
    expect(row.attempts).toBeGreaterThanOrEqual(1);
  });

  it('a change that rolls back (409, 422) enqueues nothing; one that commits does', async () => {
    const r = await receiver();
    const webhook = await createWebhook(t, { url: r.url, secret: SECRET, events: ['*'] });
    const created = await createTestRelease(t, playbookId);
    await until('release.created', () => r.received.length >= 1);
    const owner = await t.as('owner');
    const before = await t.db.webhookDelivery.count({ where: { webhookId: webhook.id } });
    const stale = await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision + 1 });
    expect(stale.statusCode).toBe(409);
    const blocked = await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision });
    expect(blocked.statusCode).toBe(422);
    const illegal = await owner.post(`/api/releases/${created.id}/actions/ramp`, { expectedRevision: created.revision });
    expect(illegal.statusCode).toBe(409);
    expect(await t.db.webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(before);

    const item = created.checklist.find((i) => i.key === 'tests-pass');
    const ticked = await owner.patch(`/api/releases/${created.id}/checklist/${item?.id}`, { status: 'done' });
    expect(ticked.statusCode).toBe(200);
    expect(await t.db.webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(before + 1);
    await until('checklist.updated', () => r.unique().some((x) => x.body.type === 'checklist.updated'));
  });

  it('a receiver that is down gets every event later, in order per release; the delay after it comes back is measured', async () => {
    const port = await Receiver.reservePort();
    const r = new Receiver();
    r.port = port;
    receivers.push(r);
    const webhook = await createWebhook(t, { url: `http://127.0.0.1:${port}/hook`, secret: SECRET, events: ['traffic.acknowledged', 'release.created'] });
    const releases: { id: string }[] = [];
    for (const service of ['a', 'b', 'c']) releases.push(await createTestRelease(t, playbookId, service));
    for (let round = 0; round < 4; round += 1) {
      for (const release of releases) await emitEvents(t.db, release.id, acks(round * 5, 5));
    }
    // Several attempts fail against the closed port; nothing after the head of each release's queue is tried.
    await until('failed attempts', async () => (await t.db.webhookDelivery.aggregate({ where: { webhookId: webhook.id }, _sum: { attempts: true } }))._sum.attempts! >= 9);
    const tried = await t.db.webhookDelivery.findMany({ where: { webhookId: webhook.id, attempts: { gt: 0 } } });
    expect(new Set(tried.map((d) => d.releaseId)).size).toBe(3);
    expect(tried).toHaveLength(3);
    expect(tried.every((d) => d.eventType === 'release.created' && d.lastError?.includes('ECONNREFUSED'))).toBe(true);

    const back = performance.now();
    await r.start(port);
    await until('the backlog', () => r.unique().length >= 63);
    const delayMs = Math.max(...r.received.map((x) => x.at)) - back;
    const firstMs = Math.min(...r.received.map((x) => x.at)) - back;
    console.log(`[webhooks] receiver back: first delivery after ${firstMs.toFixed(0)} ms, backlog of 63 events complete after ${delayMs.toFixed(0)} ms (backoff cap 200 ms)`);

    for (const release of releases) {
      const seen = r.unique().filter((x) => x.body.release.id === release.id);
      expect(seen.map((x) => x.body.type)).toEqual(['release.created', ...Array(20).fill('traffic.acknowledged')]);
      expect(seen.slice(1).map((x) => x.body.event.data.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      const ids = seen.map((x) => BigInt(x.body.id));
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    }
    // Each release's first delivery succeeded after failures: the timeline says the receiver recovered, once per queue.
    await until('webhook.delivered events', async () => (await t.db.releaseEvent.count({ where: { type: 'webhook.delivered', releaseId: { in: releases.map((x) => x.id) } } })) === 3);
    expect(await t.db.webhookDelivery.count({ where: { eventType: { startsWith: 'webhook.' } } })).toBe(0);
  });

  it('a receiver that hangs does not stall deliveries to another webhook', async () => {
    const slow = await receiver();
    slow.behaviour = 'hang';
    const fast = await receiver();
    await createWebhook(t, { url: slow.url, secret: SECRET, events: ['traffic.acknowledged'] });
    await createWebhook(t, { url: fast.url, secret: SECRET, events: ['traffic.acknowledged'] });
    const one = await createTestRelease(t, playbookId, 'one');
    const two = await createTestRelease(t, playbookId, 'two');
    const started = performance.now();
    await emitEvents(t.db, one.id, acks(0, 10));
    await emitEvents(t.db, two.id, acks(0, 10));
    await until('the fast receiver', () => fast.received.length >= 20, 4000);
    const elapsed = performance.now() - started;
    // The hanging receiver holds the head of each release's queue (request timeout: 5 s); the other receiver got everything meanwhile.
    expect(elapsed).toBeLessThan(4500);
    expect(slow.received).toHaveLength(2);
    expect(fast.unique().map((x) => x.body.release.id).filter((id) => id === one.id)).toHaveLength(10);
  });
});

describe('when retries run out', () => {
  it('marks the delivery failed, records webhook.failed on the release, and sends no webhook.* event', async () => {
    const short = await startWebhookApp({ worker: { pollIntervalMs: 20, timeoutMs: 1000, backoff: { baseMs: 10, capMs: 40, windowMs: 300 } } });
    try {
      const r = await new Receiver().start(0);
      receivers.push(r);
      r.behaviour = { status: 503 };
      const pb = await createTestPlaybook(short);
      const webhook = await createWebhook(short, { url: r.url, secret: SECRET, events: ['*'] });
      const release = await createTestRelease(short, pb);
      await until('the final failure', async () => (await short.db.webhookDelivery.count({ where: { webhookId: webhook.id, status: 'failed' } })) >= 1);
      const row = await short.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id, status: 'failed' } });
      expect(row.attempts).toBeGreaterThan(1);
      expect(row).toMatchObject({ lastStatusCode: 503, lastError: 'HTTP 503 from the receiver' });
      const event = await short.db.releaseEvent.findFirstOrThrow({ where: { releaseId: release.id, type: 'webhook.failed' } });
      expect(event).toMatchObject({ actorName: 'webhooks', data: expect.objectContaining({ webhookId: webhook.id, deliveryId: row.id, eventType: 'release.created', statusCode: 503 }) });
      expect(await short.db.webhookDelivery.count({ where: { eventType: { startsWith: 'webhook.' } } })).toBe(0);
    } finally {
      await short.close();
    }
  });
});
