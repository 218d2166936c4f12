// Webhook tests run a real app (its own database, the outbox sender on short timings) and real HTTP
// receivers on loopback: node:http servers the test starts, stops, slows down or makes misbehave.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TDomainEvent } from '@rampart/domain';
import { AUTOPILOT } from '../../src/services/auth/actors.js';
import { recordEvents } from '../../src/services/releases/persist-change.js';
import type { Db } from '../../src/db/prisma.js';
import type { TWebhookPluginOptions } from '../../src/webhooks/plugin.js';
import { startTestApp } from '../support/test-app.js';
import type { TTestApp } from '../support/test-app.js';

export const FAST_WORKER = {
  pollIntervalMs: 25,
  timeoutMs: 5000,
  concurrency: 32,
  perWebhookConcurrency: 8,
  backoff: { baseMs: 20, capMs: 200, windowMs: 60_000 },
} satisfies TWebhookPluginOptions;

export function startWebhookApp(options: { worker?: TWebhookPluginOptions; env?: Record<string, string> } = {}): Promise<TTestApp> {
  return startTestApp({ webhooks: options.worker ?? FAST_WORKER, ...(options.env ? { env: options.env } : {}) });
}

export interface TReceived {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type TBehaviour = 'ok' | 'hang' | { status: number; headers?: Record<string, string> };

/** A webhook receiver on 127.0.0.1 that records every request it answers (or holds, when hanging). */
export class Receiver {
  readonly received: TReceived[] = [];
  behaviour: TBehaviour = 'ok';
  private server: Server | null = null;
  private readonly held: ServerResponse[] = [];
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** A port nobody listens on (yet): a receiver that is down. */
  static async reservePort(): Promise<number> {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
  }

  async start(port = this.port): Promise<this> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() });
        const behaviour = this.behaviour;
        if (behaviour === 'hang') {
          this.held.push(response);
          return;
        }
        if (behaviour === 'ok') {
          response.writeHead(204).end();
          return;
        }
        response.writeHead(behaviour.status, behaviour.headers ?? {}).end('receiver says no');
      });
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const response of this.held.splice(0)) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Parsed bodies, first receipt of each idempotency key only (deliveries are at least once). */
  unique(): { key: string; body: { id: string; type: string; release: { id: string }; event: { data: Record<string, unknown> } } }[] {
    const seen = new Set<string>();
    const out = [];
    for (const r of this.received) {
      const key = String(r.headers['idempotency-key']);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ key, body: JSON.parse(r.body) });
    }
    return out;
  }
}

export { until } from '../support/until.js';

/** Appends events to a release through recordEvents, the one path every change takes, in one transaction. */
export async function emitEvents(db: Db, releaseId: string, events: TDomainEvent[]): Promise<void> {
  await db.$transaction(async (tx) => {
    const release = await tx.release.findUniqueOrThrow({ where: { id: releaseId }, select: { revision: true } });
    await recordEvents(tx, releaseId, release.revision, AUTOPILOT, events, new Date());
    // Hundreds of events in one transaction outlast Prisma's 5 s default on a machine loaded many deep.
  }, { timeout: 20_000 });
}

export const acks = (from: number, count: number): TDomainEvent[] =>
  Array.from({ length: count }, (_, i) => ({ type: 'traffic.acknowledged' as const, data: { seq: from + i } }));

export async function createWebhook(t: TTestApp, body: Record<string, unknown>): Promise<{ id: string; secretHint: string }> {
  const response = await (await t.as('admin')).post('/api/webhooks', body);
  if (response.statusCode !== 201) throw new Error(`creating a webhook failed: ${response.body}`);
  return response.json();
}

export async function deleteAllWebhooks(t: TTestApp): Promise<void> {
  await t.db.webhook.deleteMany({});
}
