// A failing remote's answer goes no further than the server's log. The review's repro: point a release's
// Prometheus source and a webhook at a loopback server that answers 500 with a secret, let Rampart fail
// against it, then read back everything the read-only support role can read (and the admin's delivery
// log): the status and events say what failed (the HTTP status, Rampart's own words), never the body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundClient } from '../../src/outbound/outbound-client.js';
import { parseOutboundAllow } from '../../src/outbound/outbound-policy.js';
import { startPrometheusPoller } from '../../src/prometheus/poller.js';
import type { TPrometheusPoller } from '../../src/prometheus/poller.js';
import { TEST_OUTBOUND_ALLOW, startTestApp } from '../support/test-app.js';
import type { TTestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import type { TRemote } from './support.js';
import { PROMETHEUS_SOURCE, startRemote, startedRelease } from './support.js';

const SECRET = 'sk_live_TOPSECRET_4f9a2c';
let t: TTestApp;
let remote: TRemote;
let poller: TPrometheusPoller;
const outbound = createOutboundClient(parseOutboundAllow(TEST_OUTBOUND_ALLOW).allow);

beforeAll(async () => {
  t = await startTestApp({ webhooks: { pollIntervalMs: 25, timeoutMs: 2000, backoff: { baseMs: 10, capMs: 40, windowMs: 300 } } });
  remote = await startRemote({ status: 500, body: `internal error: token=${SECRET}` });
  poller = startPrometheusPoller({ db: t.db, clock: t.clock, log: t.app.log, outbound, intervalMs: 3_600_000, timeoutMs: 2000 });
});
afterAll(async () => {
  await poller?.stop();
  await outbound.close();
  await remote?.close();
  await t?.close();
});

/** Everything support may read about a release, and the public status page. */
async function supportReads(releaseId: string): Promise<string[]> {
  const support = await t.as('support');
  const urls = [
    `/api/releases/${releaseId}`,
    `/api/releases/${releaseId}/events`,
    `/api/releases/${releaseId}/metrics-source`,
    `/api/releases/${releaseId}/analysis`,
    `/api/releases/${releaseId}/messages`,
    '/api/releases',
    '/api/status',
  ];
  const bodies: string[] = [];
  for (const url of urls) {
    const response = await support.get(url);
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    bodies.push(response.body);
  }
  return bodies;
}

describe("a failing remote's answer", () => {
  it('never reaches the source status or the metrics.source_error event', async () => {
    const releaseId = await startedRelease(t, 'leak-prometheus');
    const put = await (await t.as('owner')).put(`/api/releases/${releaseId}/metrics-source`, PROMETHEUS_SOURCE(`http://127.0.0.1:${remote.port}`));
    expect(put.statusCode, put.body).toBe(200);

    t.clock.advance(60);
    await poller.tick({ force: true });
    // A JSON error answer too: its errorType is not one of Prometheus' own, its error is the secret.
    remote.answer = { status: 422, contentType: 'application/json', body: JSON.stringify({ status: 'error', errorType: SECRET, error: SECRET }) };
    t.clock.advance(60);
    await poller.tick({ force: true });
    expect(remote.requests).toBeGreaterThanOrEqual(2);

    const event = await t.db.releaseEvent.findFirstOrThrow({ where: { releaseId, type: 'metrics.source_error' } });
    expect(event.reason).toBe(`Prometheus at http://127.0.0.1:${remote.port} refused the query (HTTP 500) (query for requests, canary)`);
    const status = (await (await t.as('support')).get(`/api/releases/${releaseId}/metrics-source`)).json().status;
    expect(status.error).toMatchObject({ failures: 2, message: `Prometheus at http://127.0.0.1:${remote.port} refused the query (HTTP 422) (query for requests, canary)` });
    for (const body of await supportReads(releaseId)) expect(body).not.toContain(SECRET);
  });

  it('never reaches the delivery log or the webhook.failed event', async () => {
    remote.answer = { status: 500, body: `internal error: token=${SECRET}` };
    const admin = await t.as('admin');
    const hook = await admin.post('/api/webhooks', { url: `http://127.0.0.1:${remote.port}/hook`, events: ['*'] });
    expect(hook.statusCode, hook.body).toBe(201);
    const releaseId = await startedRelease(t, 'leak-webhook');
    await until('webhook.failed', async () => (await t.db.releaseEvent.count({ where: { releaseId, type: 'webhook.failed' } })) >= 1);

    const deliveries = await admin.get(`/api/webhooks/${hook.json().id}/deliveries?status=failed`);
    expect(deliveries.json().deliveries[0]).toMatchObject({ lastStatusCode: 500, lastError: 'HTTP 500 from the receiver' });
    expect(deliveries.body).not.toContain(SECRET);
    expect((await admin.get(`/api/webhooks/${hook.json().id}`)).body).not.toContain(SECRET);
    for (const body of await supportReads(releaseId)) expect(body).not.toContain(SECRET);
  });
});
