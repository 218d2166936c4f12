// Real deliveries to a receiver on loopback that verifies them the way a team's receiver would: with the
// `standardwebhooks` package from the npm registry, answering 401 to anything it cannot verify. A
// rotation signs with both secrets for the overlap, so receivers holding the old or the new one verify.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import type { TTestApp } from '../support/test-app.js';
import { deleteAllWebhooks, startWebhookApp, until } from './support.js';

interface TVerified {
  id: string;
  verified: boolean;
  signatures: number;
  type?: string;
}

/** A receiver holding one secret: it verifies every request and records the outcome. */
async function verifyingReceiver(secret: string, options?: { format: 'raw' }): Promise<{ url: string; seen: TVerified[]; close(): Promise<void> }> {
  const webhook = new Webhook(secret, options);
  const seen: TVerified[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = request.headers as Record<string, string>;
      const signatures = String(headers['webhook-signature'] ?? '').split(' ').length;
      try {
        const event = webhook.verify(body, headers) as { type: string };
        seen.push({ id: headers['webhook-id']!, verified: true, signatures, type: event.type });
        response.writeHead(204).end();
      } catch {
        seen.push({ id: String(headers['webhook-id']), verified: false, signatures });
        response.writeHead(401).end();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const OLD = `whsec_${Buffer.alloc(32, 11).toString('base64')}`;
const NEW = `whsec_${Buffer.alloc(32, 12).toString('base64')}`;
let t: TTestApp;
let playbookId: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  t = await startWebhookApp();
  playbookId = await createTestPlaybook(t);
});
afterEach(async () => {
  await deleteAllWebhooks(t);
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(async () => t.close());

async function register(url: string, secret?: string): Promise<{ id: string; secret?: string }> {
  const response = await (await t.as('admin')).post('/api/webhooks', { url, events: ['release.created'], ...(secret ? { secret } : {}) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('Standard Webhooks deliveries, verified by the standardwebhooks package', () => {
  it('a receiver holding the generated whsec_ secret verifies each delivery; one holding another secret refuses it', async () => {
    const probe = await verifyingReceiver(NEW);
    closers.push(probe.close);
    // The secret Rampart generated, given back once, is what the receiver is configured with.
    const { secret } = await register(probe.url);
    const receiver = await verifyingReceiver(secret!);
    closers.push(receiver.close);
    const hook = await register(receiver.url, secret);
    await createTestRelease(t, playbookId, 'verified');
    await until('a verified delivery', () => receiver.seen.some((x) => x.verified));
    expect(receiver.seen[0]).toMatchObject({ verified: true, signatures: 1, type: 'release.created' });
    expect(receiver.seen[0]!.id).toMatch(new RegExp(`^\\d+:${hook.id}$`));
    // The probe holds a different secret: it refuses (401), and the delivery stays pending for a retry.
    await until('the probe refusing', () => probe.seen.length >= 1);
    expect(probe.seen[0]).toMatchObject({ verified: false });
  });

  it('after a rotation, receivers holding the old or the new secret both verify, until the overlap ends', async () => {
    const holdsOld = await verifyingReceiver(OLD);
    const holdsNew = await verifyingReceiver(NEW);
    closers.push(holdsOld.close, holdsNew.close);
    const admin = await t.as('admin');
    const a = await register(holdsOld.url, OLD);
    const b = await register(holdsNew.url, OLD);
    for (const id of [a.id, b.id]) {
      const rotated = await admin.patch(`/api/webhooks/${id}`, { secret: NEW });
      expect(rotated.statusCode).toBe(200);
      expect(rotated.json().previousSecretUntil).not.toBeNull();
    }
    await createTestRelease(t, playbookId, 'rotating');
    await until('both receivers', () => holdsOld.seen.length >= 1 && holdsNew.seen.length >= 1);
    expect(holdsOld.seen[0]).toMatchObject({ verified: true, signatures: 2 });
    expect(holdsNew.seen[0]).toMatchObject({ verified: true, signatures: 2 });

    // The overlap is over (the rotation was 25 hours ago): only the new secret signs.
    await t.db.webhook.updateMany({ data: { secretRotatedAt: new Date(Date.now() - 25 * 3600_000) } });
    expect((await admin.get(`/api/webhooks/${a.id}`)).json().previousSecretUntil).toBeNull();
    await createTestRelease(t, playbookId, 'rotated');
    await until('the next deliveries', () => holdsOld.seen.length >= 2 && holdsNew.seen.length >= 2);
    expect(holdsNew.seen[1]).toMatchObject({ verified: true, signatures: 1 });
    expect(holdsOld.seen[1]).toMatchObject({ verified: false, signatures: 1 });
  });

  it('a secret that is not whsec_ signs as raw bytes, which { format: "raw" } verifies', async () => {
    const raw = 'plain-shared-secret-0123456789';
    const receiver = await verifyingReceiver(raw, { format: 'raw' });
    closers.push(receiver.close);
    await register(receiver.url, raw);
    await createTestRelease(t, playbookId, 'raw-secret');
    await until('a verified delivery', () => receiver.seen.some((x) => x.verified));
  });
});
