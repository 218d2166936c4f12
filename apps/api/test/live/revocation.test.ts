// A live socket lives only as long as the credential it opened with: logout, disabling the user, a new
// role, a new password and revoking the token each close the matching sockets (1008) within a second,
// on this instance and, through NOTIFY, on the others. Real server on loopback, real `ws` clients.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { LIVE_CHANNEL, announce } from '../../src/live/notifier.js';
import { CLOSE_REVOKED } from '../../src/live/hub.js';
import { createUser } from '../../src/services/users/users.js';
import type { TestDatabase } from '../support/database.js';
import { createTestPlaybook, createTestRelease } from '../support/playbook-fixture.js';
import { TEST_SCRYPT_COST } from '../support/test-app.js';
import { until } from '../support/until.js';
import { TestSocket, sharedDatabase, startInstance } from './support.js';
import type { TLiveInstance } from './support.js';

const PASSWORD = 'correct horse battery';

let database: TestDatabase;
let t: TLiveInstance;
let releaseId: string;
const sockets: TestSocket[] = [];
/** Logout (or revocation) to close, per case, for the report. */
const measured: Record<string, number> = {};

beforeAll(async () => {
  database = await sharedDatabase();
  t = await startInstance(database);
  releaseId = (await createTestRelease(t, await createTestPlaybook(t))).id;
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await t.close();
  await database.drop();
  console.info('live socket closed after revocation (ms):', measured);
});

/** A fresh user of its own per test, so one test's revocations never touch another's sockets. */
async function newUser(role: 'release_owner' | 'viewer' = 'release_owner') {
  const email = `u-${randomUUID()}@rampart.test`;
  const user = await createUser({ db: t.db }, { email, name: 'Someone', password: PASSWORD, role, approvalRoles: [] }, TEST_SCRYPT_COST);
  return { id: user.id, email };
}

async function login(email: string): Promise<string> {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
  const cookie = response.cookies.find((c) => c.name === 'rampart_session');
  if (response.statusCode !== 200 || !cookie) throw new Error(`login failed: ${response.body}`);
  return `rampart_session=${cookie.value}`;
}

async function tokenFor(cookie: string): Promise<{ id: string; token: string }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie }, payload: { name: 'board', scopes: ['releases:read'] } });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; token: string };
}

/** A socket following the test release, so it would go on streaming if nothing closed it. */
async function follow(headers: Record<string, string>): Promise<{ socket: TestSocket; closed: Promise<{ code: number; at: number }> }> {
  const socket = await TestSocket.open(t.wsUrl, headers);
  sockets.push(socket);
  const closed = new Promise<{ code: number; at: number }>((resolve) => socket.ws.once('close', (code) => resolve({ code, at: performance.now() })));
  await socket.subscribe([releaseId]);
  return { socket, closed };
}

/**
 * The socket must be closed (1008) within a second of the revoking request's answer; resolves with the
 * ms from that request's start to the close (it includes the request itself: a password change hashes).
 */
async function closesWithin(closed: Promise<{ code: number; at: number }>, started: number): Promise<number> {
  const answered = performance.now();
  const { code, at } = await closed;
  expect(code).toBe(CLOSE_REVOKED);
  expect(at - answered).toBeLessThan(1000);
  return Math.round(at - started);
}

async function stillOpen(socket: TestSocket): Promise<void> {
  const from = socket.messages.length;
  socket.send({ type: 'ping' });
  await socket.waitFor('pong', () => true, { from });
}

async function admin() {
  return t.as('admin');
}

describe('a socket opened with a session', () => {
  it('closes within a second of logout, and the cookie opens no new one', async () => {
    const user = await newUser();
    const cookie = await login(user.email);
    const { closed } = await follow({ cookie });
    const other = await follow({ cookie: await login(user.email) });

    const started = performance.now();
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(response.statusCode).toBe(204);
    measured.logout = await closesWithin(closed, started);
    // Only that session: the same user's other session keeps its socket.
    await stillOpen(other.socket);
    await expect(TestSocket.open(t.wsUrl, { cookie })).rejects.toThrow('HTTP 401');
  });

  it("closes when an admin disables the user, with the user's token sockets", async () => {
    const user = await newUser();
    const cookie = await login(user.email);
    const { token } = await tokenFor(cookie);
    const bySession = await follow({ cookie });
    const byToken = await follow({ authorization: `Bearer ${token}` });

    const started = performance.now();
    expect((await (await admin()).patch(`/api/users/${user.id}`, { disabled: true })).statusCode).toBe(200);
    measured.disable = await closesWithin(bySession.closed, started);
    measured.disableToken = await closesWithin(byToken.closed, started);
  });

  it('closes when the user is demoted, and the new role opens what it may', async () => {
    const user = await newUser('release_owner');
    const cookie = await login(user.email);
    const { closed } = await follow({ cookie });

    const started = performance.now();
    expect((await (await admin()).patch(`/api/users/${user.id}`, { role: 'viewer' })).statusCode).toBe(200);
    measured.demotion = await closesWithin(closed, started);
    // The session itself survives a role change; a new socket is authorized as a viewer.
    const again = await follow({ cookie });
    await stillOpen(again.socket);
  });

  it("closes when the user's password changes; their token sockets stay", async () => {
    const user = await newUser();
    const cookie = await login(user.email);
    const { token } = await tokenFor(cookie);
    const bySession = await follow({ cookie });
    const byToken = await follow({ authorization: `Bearer ${token}` });

    const started = performance.now();
    expect((await (await admin()).patch(`/api/users/${user.id}`, { password: 'a brand new password' })).statusCode).toBe(200);
    measured.passwordChange = await closesWithin(bySession.closed, started);
    await stillOpen(byToken.socket);
  });

  it('a change that takes nothing away (the name) closes nothing', async () => {
    const user = await newUser();
    const { socket } = await follow({ cookie: await login(user.email) });
    expect((await (await admin()).patch(`/api/users/${user.id}`, { name: 'Renamed' })).statusCode).toBe(200);
    await stillOpen(socket);
  });
});

describe('a socket opened with an API token', () => {
  it("closes within a second of the token's revocation; the owner's session socket stays", async () => {
    const user = await newUser();
    const cookie = await login(user.email);
    const created = await tokenFor(cookie);
    const byToken = await follow({ authorization: `Bearer ${created.token}` });
    const bySession = await follow({ cookie });

    const started = performance.now();
    const response = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${created.id}`, headers: { cookie } });
    expect(response.statusCode).toBe(200);
    measured.tokenRevocation = await closesWithin(byToken.closed, started);
    await stillOpen(bySession.socket);
    await expect(TestSocket.open(t.wsUrl, { authorization: `Bearer ${created.token}` })).rejects.toThrow('HTTP 401');
  });
});

describe('expiry', () => {
  it('a session that expires while its socket is open closes it at the next heartbeat', async () => {
    const instance = await startInstance(database, { heartbeatMs: 100 });
    try {
      const response = await instance.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: (await newUser()).email, password: PASSWORD } });
      const cookie = `rampart_session=${response.cookies.find((c) => c.name === 'rampart_session')?.value}`;
      const socket = await TestSocket.open(instance.wsUrl, { cookie });
      sockets.push(socket);
      const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
      await stillOpen(socket);
      instance.clock.advance(instance.app.settings.sessionHours * 3600 + 1);
      expect(await closed).toBe(CLOSE_REVOKED);
    } finally {
      await instance.close();
    }
  });
});

describe('on another instance', () => {
  it('a revocation here is announced on the channel for the other instances', async () => {
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    try {
      const heard: unknown[] = [];
      listener.on('notification', (message) => heard.push(JSON.parse(message.payload ?? 'null')));
      await listener.query(`LISTEN ${LIVE_CHANNEL}`);
      const user = await newUser();
      const cookie = await login(user.email);
      const session = await t.db.session.findFirstOrThrow({ where: { userId: user.id } });
      await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
      await until('the revocation on the channel', () =>
        heard.some((n) => JSON.stringify(n) === JSON.stringify({ kind: 'revoke', revocation: { kind: 'session', sessionId: session.id }, origin: t.app.live.instanceId })),
      );
    } finally {
      await listener.end();
    }
  });

  it('a revocation announced on the channel closes the sockets there (NOTIFY)', async () => {
    const user = await newUser();
    const cookie = await login(user.email);
    const { closed } = await follow({ cookie });
    const session = await t.db.session.findFirstOrThrow({ where: { userId: user.id } });

    // As another instance announces it: through PostgreSQL only, never this process's emitter.
    const started = performance.now();
    await announce(t.db, { kind: 'revoke', revocation: { kind: 'session', sessionId: session.id }, origin: 'another-instance' });
    measured.otherInstance = await closesWithin(closed, started);
  });
});
