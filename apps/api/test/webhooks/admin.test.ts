import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TTestApp } from '../support/test-app.js';
import { createWebhook, startWebhookApp } from './support.js';

const SECRET = 'rampart-test-secret-0123456789';
let t: TTestApp;
let restricted: TTestApp;

beforeAll(async () => {
  // No sender: these tests look at the outbox rows, not at receivers.
  [t, restricted] = await Promise.all([
    startWebhookApp({ worker: false }),
    startWebhookApp({ worker: false, env: { RAMPART_WEBHOOK_ALLOWED_HOSTS: 'hooks.example.com,*.corp.internal' } }),
  ]);
});
afterAll(async () => Promise.all([t.close(), restricted.close()]));

describe('webhook administration', () => {
  it('creates, lists, shows, edits, rotates, disables and deletes, never returning the secret', async () => {
    const admin = await t.as('admin');
    const created = await admin.post('/api/webhooks', { url: 'https://hooks.example.com/rampart', secret: SECRET, events: ['release.started', 'release.started', '*'] });
    expect(created.statusCode).toBe(201);
    const webhook = created.json();
    expect(webhook).toMatchObject({ url: 'https://hooks.example.com/rampart', events: ['release.started', '*'], format: 'json', enabled: true, secretHint: '…6789', previousSecretUntil: null });
    expect(webhook).not.toHaveProperty('secret');
    expect(created.body).not.toContain(SECRET);

    const list = await admin.get('/api/webhooks');
    expect(list.json().webhooks).toHaveLength(1);
    expect(list.body).not.toContain(SECRET);
    expect((await admin.get(`/api/webhooks/${webhook.id}`)).json()).toMatchObject({ id: webhook.id, pendingDeliveries: 0 });

    const patched = await admin.patch(`/api/webhooks/${webhook.id}`, { secret: 'rotated_secret_abcdefWXYZ', format: 'slack', enabled: false, events: ['release.ramped'] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ secretHint: '…WXYZ', format: 'slack', enabled: false, events: ['release.ramped'] });
    expect(patched.body).not.toContain('rotated_secret');
    expect(patched.body).not.toContain(SECRET);
    // The replaced secret keeps signing for the overlap: 24 hours from the rotation.
    const until = Date.parse(patched.json().previousSecretUntil);
    expect(until - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(await t.db.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).toMatchObject({ secret: 'rotated_secret_abcdefWXYZ', previousSecret: SECRET });
    // Sending the same secret again is no rotation: the overlap is not restarted with the current secret as "old".
    await admin.patch(`/api/webhooks/${webhook.id}`, { secret: 'rotated_secret_abcdefWXYZ' });
    expect((await t.db.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).previousSecret).toBe(SECRET);

    expect((await admin.delete(`/api/webhooks/${webhook.id}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/webhooks/${webhook.id}`)).statusCode).toBe(404);
    expect((await admin.delete(`/api/webhooks/${webhook.id}`)).statusCode).toBe(404);
  });

  it('refuses bad bodies with 400 naming the field', async () => {
    const admin = await t.as('admin');
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://example.com/x', secret: SECRET, events: ['*'] }, 'body.url'],
      [{ url: 'https://user:pw@example.com/x', secret: SECRET, events: ['*'] }, 'body.url'],
      [{ url: 'not a url', secret: SECRET, events: ['*'] }, 'body.url'],
      [{ url: 'https://example.com/x', secret: 'short', events: ['*'] }, 'body.secret'],
      [{ url: 'https://example.com/x', secret: 'whsec_not-base64-0123456789', events: ['*'] }, 'body.secret'],
      [{ url: 'https://example.com/x', secret: `whsec_${Buffer.alloc(8).toString('base64')}`, events: ['*'] }, 'body.secret'],
      [{ url: 'https://example.com/x', secret: SECRET, events: [] }, 'body.events'],
      [{ url: 'https://example.com/x', secret: SECRET, events: ['webhook.failed'] }, 'body.events.0'],
      [{ url: 'https://example.com/x', secret: SECRET, events: ['*'], format: 'xml' }, 'body.format'],
    ];
    for (const [body, field] of cases) {
      const response = await admin.post('/api/webhooks', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().field, JSON.stringify(body)).toBe(field);
    }
    const { id } = await createWebhook(t, { url: 'https://example.com/x', secret: SECRET, events: ['*'] });
    const empty = await admin.patch(`/api/webhooks/${id}`, {});
    expect(empty.statusCode).toBe(400);
    await admin.delete(`/api/webhooks/${id}`);
  });

  it('generates a whsec_ secret when none is given, and shows it once', async () => {
    const admin = await t.as('admin');
    const created = await admin.post('/api/webhooks', { url: 'https://hooks.example.com/generated', events: ['*'] });
    expect(created.statusCode).toBe(201);
    const { id, secret, secretHint } = created.json();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretHint).toBe(`…${secret.slice(-4)}`);
    expect((await admin.get(`/api/webhooks/${id}`)).body).not.toContain(secret);
    await admin.delete(`/api/webhooks/${id}`);
  });

  it('refuses private, loopback and metadata targets with 400 naming body.url and why, on create and on edit', async () => {
    const admin = await t.as('admin');
    // The test app opens loopback only (TEST_OUTBOUND_ALLOW), as RAMPART_OUTBOUND_ALLOW would.
    const refused = await admin.post('/api/webhooks', { url: 'http://10.1.2.3:8080/rampart', secret: SECRET, events: ['*'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ field: 'body.url' });
    expect(refused.json().message).toContain('10.1.2.3 is a private address (RFC 1918)');
    const { id } = await createWebhook(t, { url: 'https://hooks.example.com/x', secret: SECRET, events: ['*'] });
    const moved = await admin.patch(`/api/webhooks/${id}`, { url: 'http://169.254.169.254/latest/meta-data' });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().field).toBe('body.url');
    expect(moved.json().message).toContain('cloud metadata');
    await admin.delete(`/api/webhooks/${id}`);
  });

  it('is for admins only: 403 for a release owner, 401 without a login', async () => {
    const owner = await t.as('owner');
    const { id } = await createWebhook(t, { url: 'https://example.com/x', secret: SECRET, events: ['*'] });
    const deliveryId = '00000000-0000-4000-8000-000000000000';
    const attempts = [
      owner.get('/api/webhooks'),
      owner.get(`/api/webhooks/${id}`),
      owner.post('/api/webhooks', { url: 'https://example.com/y', secret: SECRET, events: ['*'] }),
      owner.patch(`/api/webhooks/${id}`, { enabled: false }),
      owner.delete(`/api/webhooks/${id}`),
      owner.get(`/api/webhooks/${id}/deliveries`),
      owner.post(`/api/webhooks/${id}/deliveries/${deliveryId}/redeliver`),
    ];
    for (const response of await Promise.all(attempts)) expect(response.statusCode).toBe(403);
    expect((await t.anonymous.get('/api/webhooks')).statusCode).toBe(401);
    await (await t.as('admin')).delete(`/api/webhooks/${id}`);
  });

  it('lists deliveries with status, attempts and last error, pages them, and redelivers', async () => {
    const admin = await t.as('admin');
    const { id } = await createWebhook(t, { url: 'https://example.com/x', secret: SECRET, events: ['release.created', 'checklist.updated'] });
    const playbookId = await createTestPlaybook(t);
    await createTestRelease(t, playbookId, 'one');
    await createTestRelease(t, playbookId, 'two');
    await createTestRelease(t, playbookId, 'three');
    const page = await admin.get(`/api/webhooks/${id}/deliveries?limit=2`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.json().deliveries).toHaveLength(2);
    const rest = (await admin.get(`/api/webhooks/${id}/deliveries?limit=2&offset=2`)).json();
    expect(rest.deliveries).toHaveLength(1);
    const delivery = rest.deliveries[0];
    expect(delivery).toMatchObject({ webhookId: id, eventType: 'release.created', status: 'pending', attempts: 0, lastError: null });
    expect(delivery.idempotencyKey).toBe(`${delivery.eventId}:${id}`);

    await t.db.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'failed', attempts: 9, lastError: 'HTTP 500', lastStatusCode: 500 } });
    const failed = (await admin.get(`/api/webhooks/${id}/deliveries?status=failed`)).json();
    expect(failed.deliveries).toEqual([expect.objectContaining({ id: delivery.id, status: 'failed', attempts: 9, lastError: 'HTTP 500', lastStatusCode: 500 })]);
    expect((await admin.get(`/api/webhooks/${id}`)).json()).toMatchObject({ pendingDeliveries: 2, failedDeliveries: 1 });

    const again = await admin.post(`/api/webhooks/${id}/deliveries/${delivery.id}/redeliver`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: delivery.id, status: 'pending', attempts: 0, idempotencyKey: delivery.idempotencyKey });
    expect((await admin.post(`/api/webhooks/${id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`)).statusCode).toBe(404);
    expect((await admin.get(`/api/webhooks/${id}/deliveries?status=bogus`)).json().field).toBe('querystring.status');
    await admin.delete(`/api/webhooks/${id}`);
    expect(await t.db.webhookDelivery.count({ where: { webhookId: id } })).toBe(0);
  });
});

describe('RAMPART_WEBHOOK_ALLOWED_HOSTS', () => {
  it('refuses targets outside the list with 400 naming body.url, on create and on edit', async () => {
    const admin = await restricted.as('admin');
    const refused = await admin.post('/api/webhooks', { url: 'http://127.0.0.1:9/x', secret: SECRET, events: ['*'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ field: 'body.url' });
    expect(refused.json().message).toContain('127.0.0.1');
    expect((await admin.post('/api/webhooks', { url: 'https://hooks.example.com/x', secret: SECRET, events: ['*'] })).statusCode).toBe(201);
    const sub = await admin.post('/api/webhooks', { url: 'https://ci.eu.corp.internal/x', secret: SECRET, events: ['*'] });
    expect(sub.statusCode).toBe(201);
    const moved = await admin.patch(`/api/webhooks/${sub.json().id}`, { url: 'https://attacker.example.net/x' });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().field).toBe('body.url');
  });
});
