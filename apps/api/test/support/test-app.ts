// A real app on a fresh database of its own, with a clock the test moves and the demo users logged in on demand.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { TApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/prisma.js';
import { seedBuiltInPlaybooks } from '../../src/services/bootstrap/seed-playbooks.js';
import { DEMO_PASSWORD, seedDemoUsers } from '../../src/services/bootstrap/seed-users.js';
import type { TWebhookPluginOptions } from '../../src/webhooks/plugin.js';
import { createTestDatabase } from './database.js';

/** Cheap scrypt for test users: the cost is stored with each hash, so verification still runs the real code. */
export const TEST_SCRYPT_COST = { N: 1024, r: 8, p: 1 };

/** Test receivers and Prometheus servers listen on loopback, which the outbound policy refuses by default. */
export const TEST_OUTBOUND_ALLOW = '127.0.0.0/8,::1';

export const USERS = {
  admin: 'admin@rampart.test',
  owner: 'owner@rampart.test',
  product: 'product@rampart.test',
  security: 'security@rampart.test',
  infra: 'infra@rampart.test',
  eng: 'eng@rampart.test',
  support: 'support@rampart.test',
} as const;
export type TUserName = keyof typeof USERS;

type TBody = InjectOptions['payload'];

export interface TClient {
  headers: Record<string, string>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: TBody): Promise<LightMyRequestResponse>;
  patch(url: string, body?: TBody): Promise<LightMyRequestResponse>;
  put(url: string, body?: TBody): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export function clientFor(app: TApp, headers: Record<string, string> = {}): TClient {
  const send = (method: InjectOptions['method'], url: string, payload?: TBody) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  return {
    headers,
    get: (url) => send('GET', url),
    post: (url, body) => send('POST', url, body ?? {}),
    patch: (url, body) => send('PATCH', url, body ?? {}),
    put: (url, body) => send('PUT', url, body ?? {}),
    delete: (url) => send('DELETE', url),
  };
}

/** A client for a metrics pipeline: a `metrics:write` token of the demo owner. */
export async function pipelineClient(t: Pick<TTestApp, 'app' | 'as'>): Promise<TClient> {
  const created = await (await t.as('owner')).post('/api/tokens', { name: 'pipeline', scopes: ['metrics:write'] });
  if (created.statusCode !== 201) throw new Error(`pipeline token: ${created.body}`);
  return clientFor(t.app, { authorization: `Bearer ${created.json().token}` });
}

export interface TTestApp<C extends Clock = ManualClock> {
  app: TApp;
  db: Db;
  clock: C;
  anonymous: TClient;
  /** A client logged in as one of the demo users (sessions are cached per test app). */
  as(user: TUserName): Promise<TClient>;
  playbookId(key: string): Promise<string>;
  close(): Promise<void>;
}

export interface TTestAppOptions<C extends Clock = ManualClock> {
  /** The server's clock: by default a ManualClock the test moves by hand. */
  clock?: C;
  /** Runs an autopilot (passes every this many wall-clock ms; tests usually call `app.autopilot.tick()`). */
  autopilotIntervalMs?: number;
  /** More configuration, as environment variables. */
  env?: Record<string, string>;
  /** The webhook sender's settings; false runs none. */
  webhooks?: TWebhookPluginOptions | false;
}

export async function startTestApp<C extends Clock = ManualClock>(options: TTestAppOptions<C> = {}): Promise<TTestApp<C>> {
  const database = await createTestDatabase();
  const clock = options.clock ?? (new ManualClock(new Date('2026-03-02T10:00:00Z')) as Clock as C);
  const settings = loadConfig({ RAMPART_DEMO: '0', RAMPART_PUBLIC_URL: 'https://rampart.example.com', RAMPART_OUTBOUND_ALLOW: TEST_OUTBOUND_ALLOW, ...options.env });
  await seedBuiltInPlaybooks(database.prisma);
  await seedDemoUsers(database.prisma, TEST_SCRYPT_COST);
  const app = await buildApp({
    db: database.prisma,
    clock,
    settings,
    autopilotIntervalMs: options.autopilotIntervalMs ?? false,
    ...(options.webhooks === undefined ? {} : { webhooks: options.webhooks }),
  });
  const sessions = new Map<TUserName, TClient>();

  return {
    app,
    db: database.prisma,
    clock,
    anonymous: clientFor(app),
    async as(user) {
      const cached = sessions.get(user);
      if (cached) return cached;
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: USERS[user], password: DEMO_PASSWORD },
      });
      const cookie = response.cookies.find((c) => c.name === 'rampart_session');
      if (response.statusCode !== 200 || !cookie) throw new Error(`login as ${user} failed: ${response.body}`);
      const client = clientFor(app, { cookie: `rampart_session=${cookie.value}` });
      sessions.set(user, client);
      return client;
    },
    async playbookId(key) {
      const playbook = await database.prisma.playbook.findUniqueOrThrow({ where: { key } });
      return playbook.id;
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
