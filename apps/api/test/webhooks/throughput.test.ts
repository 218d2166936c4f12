// Measures what the outbox sustains to a fast receiver on loopback; prints the figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TTestApp } from '../support/test-app.js';
import { Receiver, acks, createWebhook, deleteAllWebhooks, emitEvents, startWebhookApp, until } from './support.js';

let t: TTestApp;
let playbookId: string;
let r: Receiver;

beforeAll(async () => {
  t = await startWebhookApp();
  playbookId = await createTestPlaybook(t);
  r = await new Receiver().start(0);
});
afterAll(async () => {
  await r.stop();
  await t.close();
});

async function measure(releaseCount: number, perRelease: number): Promise<number> {
  r.received.length = 0;
  const releases: { id: string }[] = [];
  for (let i = 0; i < releaseCount; i += 1) releases.push(await createTestRelease(t, playbookId, `svc-${releaseCount}-${i}`));
  const webhook = await createWebhook(t, { url: r.url, secret: 'throughput-secret-0123456789', events: ['traffic.acknowledged'] });
  const total = releaseCount * perRelease;
  const started = performance.now();
  await Promise.all(releases.map((release) => emitEvents(t.db, release.id, acks(0, perRelease))));
  await until(`${total} deliveries`, () => r.unique().length >= total, 60_000);
  const seconds = (performance.now() - started) / 1000;
  for (const release of releases) {
    const seqs = r.unique().filter((x) => x.body.release.id === release.id).map((x) => x.body.event.data.seq);
    expect(seqs).toEqual(Array.from({ length: perRelease }, (_, i) => i));
  }
  await deleteAllWebhooks(t);
  expect(webhook.id).toBeTruthy();
  return total / seconds;
}

describe('outbox throughput to a fast local receiver', () => {
  it('delivers 500 events across 10 releases, and 200 for one release (strictly one after another)', async () => {
    const wide = await measure(10, 50);
    const narrow = await measure(1, 200);
    console.log(`[webhooks] throughput: ${wide.toFixed(0)} events/s (500 events, 10 releases, concurrent queues); ${narrow.toFixed(0)} events/s (200 events, 1 release, in order)`);
    expect(wide).toBeGreaterThan(20);
    expect(narrow).toBeGreaterThan(10);
  }, 120_000);
});
