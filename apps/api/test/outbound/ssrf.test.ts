// Server-side request forgery, tried the way the security review did, on an app with the default policy
// (no RAMPART_OUTBOUND_ALLOW): a release owner's metrics source and an admin's webhook pointed at each
// refused address class get a 400 naming body.url and the reason at write time; and a stored URL whose
// name resolves to a refused address (as after a DNS change) is refused again at request time, so the
// loopback server behind it never sees a connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundClient } from '../../src/outbound/outbound-client.js';
import { NO_ALLOW } from '../../src/outbound/outbound-policy.js';
import { pollRelease } from '../../src/prometheus/poller.js';
import { PrometheusError } from '../../src/prometheus/prometheus-client.js';
import { EMPTY_STATUS, parseStoredSource, writeSource } from '../../src/prometheus/source-store.js';
import { startTestApp } from '../support/test-app.js';
import type { TTestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { FAST_WORKER, emitEvents } from '../webhooks/support.js';
import type { TRemote } from './support.js';
import { PROMETHEUS_SOURCE, startRemote, startedRelease } from './support.js';

let t: TTestApp;
let remote: TRemote;
let releaseId: string;

beforeAll(async () => {
  // An empty setting is no setting: the default policy, as in production.
  t = await startTestApp({ env: { RAMPART_OUTBOUND_ALLOW: '' }, webhooks: FAST_WORKER });
  remote = await startRemote({ status: 200, body: '{"status":"success","data":{"resultType":"matrix","result":[]}}', contentType: 'application/json' });
  releaseId = await startedRelease(t, 'ssrf');
});
afterAll(async () => {
  await remote?.close();
  await t?.close();
});

describe('the default outbound policy', () => {
  const port = () => remote.port;
  const classes: [string, () => string, RegExp][] = [
    ['loopback', () => `http://127.0.0.1:${port()}`, /127\.0\.0\.1 is a loopback address/],
    ['loopback by name', () => `http://localhost:${port()}`, /localhost resolves to 127\.0\.0\.1, a loopback address/],
    ['loopback, IPv6', () => `http://[::1]:${port()}`, /::1 is a loopback address/],
    ['loopback, IPv4-mapped IPv6', () => `http://[::ffff:127.0.0.1]:${port()}`, /loopback address in IPv6 form/],
    ['private 10/8', () => 'http://10.0.0.5:9090', /private address \(RFC 1918\)/],
    ['private 172.16/12', () => 'http://172.20.1.1:9090', /private address \(RFC 1918\)/],
    ['private 192.168/16', () => 'http://192.168.0.10:9090', /private address \(RFC 1918\)/],
    ['CGNAT 100.64/10', () => 'http://100.64.1.1:9090', /CGNAT/],
    ['link-local', () => 'http://169.254.1.1:9090', /link-local/],
    ['metadata', () => 'http://169.254.169.254/latest/meta-data/', /cloud metadata/],
    ['metadata, IPv6', () => 'http://[fd00:ec2::254]/latest/meta-data/', /cloud metadata/],
    ['metadata, IPv4-mapped IPv6', () => 'http://[::ffff:169.254.169.254]/', /cloud metadata/],
    ['IPv6 unique local', () => 'http://[fd12:3456::1]:9090', /unique local/],
    ['IPv6 link-local', () => 'http://[fe80::1]:9090', /link-local/],
    ['unspecified', () => `http://0.0.0.0:${port()}`, /unspecified/],
    ['multicast', () => 'http://224.0.0.1:9090', /multicast/],
  ];

  it.each(classes)('refuses a metrics source and a webhook pointed at %s, with 400 naming body.url', async (_name, url, reason) => {
    const owner = await t.as('owner');
    const admin = await t.as('admin');
    const source = await owner.put(`/api/releases/${releaseId}/metrics-source`, PROMETHEUS_SOURCE(url()));
    expect(source.statusCode, source.body).toBe(400);
    expect(source.json().field).toBe('body.url');
    expect(source.json().message).toMatch(reason);
    expect(source.json().message).toContain('RAMPART_OUTBOUND_ALLOW');
    const hook = await admin.post('/api/webhooks', { url: `${url()}/hook`, events: ['*'] });
    expect(hook.statusCode, hook.body).toBe(400);
    expect(hook.json().field).toBe('body.url');
    expect(hook.json().message).toMatch(reason);
  });

  it('stored nothing and reached nothing', async () => {
    expect((await t.db.release.findUniqueOrThrow({ where: { id: releaseId } })).metricsSource).toBeNull();
    expect(await t.db.webhook.count()).toBe(0);
    expect(remote.connections).toBe(0);
  });

  it('refuses again when the request is made: a stored name that now resolves to loopback gets no connection', async () => {
    // Both rows are written past the API, as if the name had resolved to a public address when it was saved.
    const url = `http://localhost:${remote.port}`;
    const webhook = await t.db.webhook.create({ data: { url: `${url}/hook`, secret: 'stored-secret-0123456789', events: ['*'] } });
    const release = await t.db.release.findUniqueOrThrow({ where: { id: releaseId } });
    await writeSource(t.db, releaseId, { prometheus: PROMETHEUS_SOURCE(url), status: EMPTY_STATUS });
    const source = parseStoredSource((await t.db.release.findUniqueOrThrow({ where: { id: releaseId } })).metricsSource)!;

    const outbound = createOutboundClient(NO_ALLOW);
    try {
      t.clock.advance(60);
      const error = await pollRelease({ db: t.db, clock: t.clock, outbound }, { ...release, metricsSource: null }, source, true).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PrometheusError);
      expect((error as Error).message).toMatch(/is refused: localhost resolves to 127\.0\.0\.1, a loopback address/);
    } finally {
      await outbound.close();
    }

    // The webhook worker: a new event queues a delivery, and its attempt is refused before connecting.
    await emitEvents(t.db, releaseId, [{ type: 'traffic.acknowledged', data: {} }]);
    await until('a refused attempt', async () => ((await t.db.webhookDelivery.findFirst({ where: { webhookId: webhook.id } }))?.attempts ?? 0) >= 1);
    const delivery = await t.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });
    expect(delivery.lastStatusCode).toBeNull();
    expect(delivery.lastError).toMatch(/^refused: localhost resolves to 127\.0\.0\.1, a loopback address/);
    expect(remote.connections).toBe(0);
  });
});
