import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { clientFor, startTestApp } from '../support/test-app.js';
import type { TTestApp } from '../support/test-app.js';

let t: TTestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('logging in', () => {
  it('sets an httpOnly session cookie that /me recognises, and logout ends it', async () => {
    const login = await t.anonymous.post('/api/auth/login', { email: 'Product@Rampart.test', password: 'rampart' });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'rampart_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
    expect(login.json()).toMatchObject({ email: 'product@rampart.test', role: 'approver', approvalRoles: ['product'] });

    const client = clientFor(t.app, { cookie: `rampart_session=${cookie!.value}` });
    expect((await client.get('/api/auth/me')).json()).toMatchObject({ email: 'product@rampart.test', via: 'session' });
    const stored = await t.db.session.findMany();
    expect(stored.some((s) => s.tokenHash === createHash('sha256').update(cookie!.value).digest('hex'))).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(cookie!.value);

    expect((await client.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const wrong = await t.anonymous.post('/api/auth/login', { email: 'owner@rampart.test', password: 'nope' });
    const unknown = await t.anonymous.post('/api/auth/login', { email: 'nobody@rampart.test', password: 'rampart' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
  });

  it('stores passwords as salted scrypt hashes', async () => {
    const users = await t.db.user.findMany();
    expect(users).toHaveLength(7);
    for (const user of users) expect(user.passwordHash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/);
    expect(new Set(users.map((u) => u.passwordHash)).size).toBe(7);
  });

  it('refuses a disabled user', async () => {
    const admin = await t.as('admin');
    const created = await admin.post('/api/users', { email: 'temp@rampart.test', name: 'Temp', password: 'longenough', role: 'viewer' });
    expect(created.statusCode).toBe(201);
    expect(JSON.stringify(created.json())).not.toContain('longenough');
    await admin.patch(`/api/users/${created.json().id}`, { disabled: true });
    const login = await t.anonymous.post('/api/auth/login', { email: 'temp@rampart.test', password: 'longenough' });
    expect(login.statusCode).toBe(401);
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, limited by scope, and dead once revoked', async () => {
    const owner = await t.as('owner');
    const created = await owner.post('/api/tokens', { name: 'ci', scopes: ['metrics:write', 'traffic:ack'] });
    expect(created.statusCode).toBe(201);
    const { token, id, prefix } = created.json();
    expect(token).toMatch(/^rpt_[\w-]{43}$/);
    expect(token.startsWith(prefix)).toBe(true);

    const listed = (await owner.get('/api/tokens')).json().tokens;
    expect(listed).toEqual([expect.objectContaining({ id, name: 'ci' })]);
    expect(JSON.stringify(listed)).not.toContain(token);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));

    const pipeline = clientFor(t.app, { authorization: `Bearer ${token}` });
    expect((await pipeline.get('/api/auth/me')).json()).toMatchObject({ email: 'owner@rampart.test', via: 'token' });
    // The owner may read releases, but this token's scopes do not say so.
    expect((await pipeline.get('/api/releases')).statusCode).toBe(403);
    expect((await owner.get('/api/releases')).statusCode).toBe(200);

    expect((await owner.delete(`/api/tokens/${id}`)).json().revokedAt).not.toBeNull();
    expect((await pipeline.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('can only be issued for another user by an admin', async () => {
    const admin = await t.as('admin');
    const owner = await t.as('owner');
    const support = await t.db.user.findUniqueOrThrow({ where: { email: 'support@rampart.test' } });
    expect((await owner.post('/api/tokens', { name: 'x', scopes: ['releases:read'], userId: support.id })).statusCode).toBe(403);
    const issued = await admin.post('/api/tokens', { name: 'status-bot', scopes: ['releases:read'], userId: support.id });
    expect(issued.json()).toMatchObject({ user: { email: 'support@rampart.test' } });
  });
  // Last: it moves the clock past every session's expiry.
  it('are refused when malformed, unknown or expired', async () => {
    for (const authorization of ['Bearer', 'Basic abc', 'Bearer rpt_unknown', 'Bearer not-a-token']) {
      expect((await clientFor(t.app, { authorization }).get('/api/auth/me')).statusCode).toBe(401);
    }
    const owner = await t.as('owner');
    const { token } = (await owner.post('/api/tokens', { name: 'short', scopes: ['releases:read'], expiresInDays: 1 })).json();
    const pipeline = clientFor(t.app, { authorization: `Bearer ${token}` });
    expect((await pipeline.get('/api/releases')).statusCode).toBe(200);
    t.clock.advance(86_401);
    expect((await pipeline.get('/api/releases')).statusCode).toBe(401);
  });

});
