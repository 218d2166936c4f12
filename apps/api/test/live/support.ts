// Live tests run real servers on loopback and real `ws` clients. An instance is a full app built with
// buildApp on a shared test database, LISTENing for the changes every instance announces.
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import type { TLiveServerMessage } from '@rampart/contracts';
import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { TConfig } from '../../src/config.js';
import { createPrisma } from '../../src/db/prisma.js';
import type { Db } from '../../src/db/prisma.js';
import type { TLiveOptions } from '../../src/live/plugin.js';
import { seedBuiltInPlaybooks } from '../../src/services/bootstrap/seed-playbooks.js';
import { DEMO_PASSWORD, seedDemoUsers } from '../../src/services/bootstrap/seed-users.js';
import { createTestDatabase } from '../support/database.js';
import type { TestDatabase } from '../support/database.js';
import { TEST_SCRYPT_COST, USERS, clientFor } from '../support/test-app.js';
import type { TClient, TTestApp, TUserName } from '../support/test-app.js';

/** True when tests run on a PostgreSQL server (DATABASE_URL), where NOTIFY crosses connections. */

export interface TLiveInstance extends TTestApp {
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  httpUrl: string;
  cookie(user: TUserName): Promise<string>;
}

export async function sharedDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  await seedBuiltInPlaybooks(database.prisma);
  await seedDemoUsers(database.prisma, TEST_SCRYPT_COST);
  return database;
}

/** An instance on `database`, with a Prisma client of its own as a separate process would have. */
export async function startInstance(
  database: TestDatabase,
  live: Partial<TLiveOptions> = {},
  settingsOverride: Partial<TConfig> = {},
): Promise<TLiveInstance> {
  const db: Db = createPrisma(database.url);
  const clock = new ManualClock(new Date('2026-03-02T10:00:00Z'));
  const settings = { ...loadConfig({ RAMPART_DEMO: '0', RAMPART_PUBLIC_URL: 'https://rampart.example.com' }), ...settingsOverride };
  const app = await buildApp({ db, clock, settings, live: { listenUrl: database.url, coalesceMs: 50, ...live } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const cookies = new Map<TUserName, string>();
  const sessions = new Map<TUserName, TClient>();
  const cookie = async (user: TUserName) => {
    const cached = cookies.get(user);
    if (cached) return cached;
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: USERS[user], password: DEMO_PASSWORD } });
    const found = response.cookies.find((c) => c.name === 'rampart_session');
    if (!found) throw new Error(`login as ${user} failed: ${response.body}`);
    const value = `rampart_session=${found.value}`;
    cookies.set(user, value);
    return value;
  };
  return {
    app,
    db,
    clock,
    wsUrl: `ws://127.0.0.1:${address.port}/api/ws`,
    httpUrl: `http://127.0.0.1:${address.port}`,
    anonymous: clientFor(app),
    cookie,
    async as(user) {
      const cached = sessions.get(user);
      if (cached) return cached;
      const client = clientFor(app, { cookie: await cookie(user) });
      sessions.set(user, client);
      return client;
    },
    async playbookId(key) {
      return (await db.playbook.findUniqueOrThrow({ where: { key } })).id;
    },
    async close() {
      await app.close();
      await db.$disconnect();
    },
  };
}

/** A `ws` client that records every frame and waits for the ones a test expects. */
export class TestSocket {
  readonly messages: TLiveServerMessage[] = [];
  readonly #waiters = new Set<() => void>();
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: RawData) => {
      this.messages.push(JSON.parse(data.toString()) as TLiveServerMessage);
      for (const wake of this.#waiters) wake();
    });
    ws.on('close', () => {
      this.closed = true;
      for (const wake of this.#waiters) wake();
    });
  }

  /**
   * With a cookie, the Origin of the server itself is sent as the dashboard's browser would (pass
   * `origin: ''` to send none); bearer-token clients send none, as command-line clients do.
   */
  static open(url: string, headers: Record<string, string>): Promise<TestSocket> {
    const sent = { ...headers };
    if (sent.cookie !== undefined && sent.origin === undefined) sent.origin = new URL(url).origin.replace(/^ws/, 'http');
    if (sent.origin === '') delete sent.origin;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: sent });
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('unexpected-response', (req, res) => {
        req.destroy();
        reject(new Error(`HTTP ${res.statusCode}`));
      });
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first recorded frame (from index `from`) that matches, waiting up to `timeoutMs` for it. */
  waitFor<T extends TLiveServerMessage['type']>(
    type: T,
    match: (message: Extract<TLiveServerMessage, { type: T }>) => boolean = () => true,
    { timeoutMs = 10_000, from = 0 } = {},
  ): Promise<Extract<TLiveServerMessage, { type: T }>> {
    const find = () =>
      this.messages
        .slice(from)
        .find((m): m is Extract<TLiveServerMessage, { type: T }> => m.type === type && match(m as Extract<TLiveServerMessage, { type: T }>));
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found) {
          done();
          resolve(found);
        } else if (this.closed) {
          done();
          reject(new Error(`socket closed before a ${type} frame arrived`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${type} frame within ${timeoutMs} ms; got ${this.messages.map((m) => m.type).join(', ')}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Subscribes and waits for the acknowledgement (after the current release was sent). */
  async subscribe(releaseIds: string[]): Promise<void> {
    const from = this.messages.length;
    this.send({ type: 'subscribe', releaseIds });
    await this.waitFor('subscribed', (m) => releaseIds.every((id) => m.releaseIds.includes(id)), { from });
  }

  close(): void {
    this.ws.terminate();
  }
}
