// Tokens and sessions are served from a short-lived cache (plugins/auth); a revocation must still end
// them on the very next request, here and on another instance. The cache is set to ten minutes, so a
// refusal within the test can only come from the eviction, never from the entry aging out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { TApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createPrisma } from '../../src/db/prisma.js';
import type { Db } from '../../src/db/prisma.js';
import type { TestDatabase } from '../support/database.js';
import { DEMO_PASSWORD } from '../../src/services/bootstrap/seed-users.js';
import { sharedDatabase } from '../live/support.js';
import { until } from '../support/until.js';

const LONG_CACHE_MS = 600_000;

interface TInstance {
  app: TApp;
  db: Db;
  url: string;
  close(): Promise<void>;
}

async function instance(database: TestDatabase): Promise<TInstance> {
  const db = createPrisma(database.url);
  const app = await buildApp({
    db,
    clock: new ManualClock(new Date('2026-03-02T10:00:00Z')),
    settings: loadConfig({ RAMPART_DEMO: '0', RAMPART_PUBLIC_URL: 'https://rampart.example.com' }),
    live: { listenUrl: database.url },
    credentialCacheMs: LONG_CACHE_MS,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, db, url, close: async () => { await app.close(); await db.$disconnect(); } };
}

let database: TestDatabase;
let a: TInstance;
let adminCookie: string;
let playbookId: string;
let releaseId: string;
let second = Date.parse('2026-03-02T09:00:00Z') / 1000;

async function call(target: TInstance, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json().catch(() => null)) as Record<string, unknown> | null };
}

async function login(target: TInstance, email: string, password: string): Promise<string> {
  const response = await fetch(`${target.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://rampart.example.com' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('rampart_session='));
  if (response.status !== 200 || !cookie) throw new Error(`login as ${email} failed: ${response.status}`);
  return cookie.split(';')[0]!;
}

const asAdmin = () => ({ cookie: adminCookie, origin: 'https://rampart.example.com' });

/** A new release owner with a metrics token, so each test changes only its own user. */
async function pipelineUser(name: string, role = 'release_owner') {
  const email = `${name}@rampart.test`;
  const created = await call(a, 'POST', '/api/users', asAdmin(), { email, name, password: 'long-enough-password', role, ...(role === 'approver' ? { approvalRoles: ['product'] } : {}) });
  expect(created.status).toBe(201);
  const userId = created.json!.id as string;
  const token = await call(a, 'POST', '/api/tokens', asAdmin(), { name: `${name}-ci`, scopes: role === 'release_owner' ? ['metrics:write', 'releases:read'] : ['releases:read'], userId });
  expect(token.status).toBe(201);
  return { userId, email, tokenId: token.json!.id as string, bearer: { authorization: `Bearer ${token.json!.token as string}` } };
}

function push(target: TInstance, bearer: Record<string, string>) {
  second += 1;
  return call(target, 'POST', `/api/releases/${releaseId}/metrics`, bearer, {
    points: [{ ts: second * 1000, cohort: 'canary', metric: 'latency_p99', value: 42 }],
  });
}

beforeAll(async () => {
  database = await sharedDatabase();
  a = await instance(database);
  adminCookie = await login(a, 'admin@rampart.test', DEMO_PASSWORD);
  const playbook = await a.db.playbook.findFirstOrThrow({ where: { builtIn: true } });
  playbookId = playbook.id;
  const release = await call(a, 'POST', '/api/releases', asAdmin(), { service: 'cache-check', version: '1', playbookId });
  expect(release.status).toBe(201);
  releaseId = release.json!.id as string;
}, 60_000);
afterAll(async () => {
  await a?.close();
  await database?.drop();
});

describe('the credential cache', () => {
  it('serves a token from memory: a change written past the services is not seen at once', async () => {
    const user = await pipelineUser('cached');
    expect((await push(a, user.bearer)).status).toBe(202);
    await a.db.apiToken.update({ where: { id: user.tokenId }, data: { revokedAt: new Date() } });
    // No announcement, so the cached lookup still answers (the TTL bounds this; the services always announce).
    expect((await push(a, user.bearer)).status).toBe(202);
  });

  it('refuses a revoked token on the very next push', async () => {
    const user = await pipelineUser('revoked');
    expect((await push(a, user.bearer)).status).toBe(202);
    expect((await push(a, user.bearer)).status).toBe(202);
    expect((await call(a, 'DELETE', `/api/tokens/${user.tokenId}`, asAdmin())).status).toBe(200);
    expect((await push(a, user.bearer)).status).toBe(401);
  });

  it('refuses the tokens of a disabled user on the next push', async () => {
    const user = await pipelineUser('disabled');
    expect((await push(a, user.bearer)).status).toBe(202);
    expect((await call(a, 'PATCH', `/api/users/${user.userId}`, asAdmin(), { disabled: true })).status).toBe(200);
    expect((await push(a, user.bearer)).status).toBe(401);
  });

  it('applies a role change on the next push', async () => {
    const user = await pipelineUser('demoted');
    expect((await push(a, user.bearer)).status).toBe(202);
    expect((await call(a, 'PATCH', `/api/users/${user.userId}`, asAdmin(), { role: 'viewer' })).status).toBe(200);
    expect((await push(a, user.bearer)).status).toBe(403);
  });

  it('applies new approval roles on the next request', async () => {
    const user = await pipelineUser('approver', 'approver');
    const session = { cookie: await login(a, user.email, 'long-enough-password') };
    expect((await call(a, 'GET', '/api/auth/me', session)).json).toMatchObject({ approvalRoles: ['product'] });
    expect((await call(a, 'PATCH', `/api/users/${user.userId}`, asAdmin(), { approvalRoles: ['security'] })).status).toBe(200);
    expect((await call(a, 'GET', '/api/auth/me', session)).json).toMatchObject({ approvalRoles: ['security'] });
  });

  it('ends sessions on a password change (tokens stay) and on logout', async () => {
    const user = await pipelineUser('repassworded');
    const first = { cookie: await login(a, user.email, 'long-enough-password'), origin: 'https://rampart.example.com' };
    expect((await call(a, 'GET', '/api/auth/me', first)).status).toBe(200);
    expect((await call(a, 'PATCH', `/api/users/${user.userId}`, asAdmin(), { password: 'another-long-password' })).status).toBe(200);
    expect((await call(a, 'GET', '/api/auth/me', first)).status).toBe(401);
    expect((await push(a, user.bearer)).status).toBe(202);

    const second = { cookie: await login(a, user.email, 'another-long-password'), origin: 'https://rampart.example.com' };
    expect((await call(a, 'GET', '/api/auth/me', second)).status).toBe(200);
    expect((await call(a, 'POST', '/api/auth/logout', second)).status).toBe(204);
    expect((await call(a, 'GET', '/api/auth/me', second)).status).toBe(401);
  });

  it('refuses a token revoked on another instance once its NOTIFY arrives', async () => {
    const b = await instance(database);
    try {
      const user = await pipelineUser('elsewhere');
      expect((await push(b, user.bearer)).status).toBe(202);
      expect((await call(a, 'DELETE', `/api/tokens/${user.tokenId}`, asAdmin())).status).toBe(200);
      await until('instance B refuses the revoked token', async () => (await push(b, user.bearer)).status === 401, 30_000);
    } finally {
      await b.close();
    }
  }, 60_000);
});
