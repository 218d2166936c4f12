// Shared by the matrix tests: the fixture every route's request is built from, the actors the
// auth matrix walks, and a raw `send` that can put any payload and content type on the wire.
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TPlaybookSpecInput, TTokenScope } from '@rampart/contracts';
import type { TActor } from '@rampart/domain';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/services/bootstrap/seed-users.js';
import { TEST_PLAYBOOK_SPEC } from '../support/playbook-fixture.js';
import type { TTestApp, TUserName } from '../support/test-app.js';
import { USERS } from '../support/test-app.js';
import type { TRequestParts, TRouteCase } from './routes.js';

/** The ids every route's request is built from; `unique` keeps repeated creations apart. */
export interface TFixture {
  playbookId: string;
  releaseId: string;
  revision: number;
  /** A checklist item owned by the product approval role, so the product approver may tick it. */
  productItemId: string;
  /** A throwaway user and token, so PATCH /users and DELETE /tokens touch no actor of the matrix. */
  spareUserId: string;
  spareTokenId: string;
  /** A webhook with a queued delivery (its target refuses connections), and a spare one to delete. */
  webhookId: string;
  deliveryId: string;
  spareWebhookId: string;
  unique(): string;
}

/** The test playbook plus one checklist item the product approver owns. */
export const MATRIX_PLAYBOOK_SPEC: TPlaybookSpecInput = {
  ...TEST_PLAYBOOK_SPEC,
  checklist: [
    ...(TEST_PLAYBOOK_SPEC.checklist ?? []),
    { title: 'Product', items: [{ key: 'copy-reviewed', text: 'Copy reviewed', phase: 'before_start', ownerRole: 'product' }] },
  ],
};

export async function createFixture(t: TTestApp): Promise<TFixture> {
  const admin = await t.as('admin');
  const owner = await t.as('owner');
  let counter = 0;
  const unique = () => `${Date.now().toString(36)}-${++counter}`;
  const expectCreated = (response: LightMyRequestResponse, what: string) => {
    if (response.statusCode !== 201) throw new Error(`creating ${what} failed: ${response.statusCode} ${response.body}`);
    return response.json() as Record<string, unknown> & { id: string };
  };

  // Registered before the release, so the release's first event queues a delivery to it.
  const webhook = expectCreated(
    await admin.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook', secret: 'matrix-secret-0123456789', events: ['*'] }),
    'the webhook',
  );
  const spareWebhook = expectCreated(
    await admin.post('/api/webhooks', { url: 'http://127.0.0.1:9/spare', secret: 'matrix-secret-0123456789', events: ['release.created'] }),
    'the spare webhook',
  );
  const playbook = expectCreated(
    await admin.post('/api/playbooks', { key: 'matrix-flow', name: 'Matrix flow', spec: MATRIX_PLAYBOOK_SPEC }),
    'the playbook',
  );
  const release = expectCreated(
    await owner.post('/api/releases', { service: 'checkout', version: '1.2.3', playbookId: playbook.id, notes: 'Matrix' }),
    'the release',
  ) as unknown as { id: string; revision: number; checklist: { id: string; key: string }[] };
  const productItem = release.checklist.find((item) => item.key === 'copy-reviewed');
  if (!productItem) throw new Error('no product-owned checklist item');
  const spareUser = expectCreated(
    await admin.post('/api/users', { email: 'spare@rampart.test', name: 'Spare', password: 'longenough', role: 'viewer' }),
    'the spare user',
  );
  const spareToken = expectCreated(await admin.post('/api/tokens', { name: 'spare', scopes: ['releases:read'] }), 'the spare token');
  // The admin signs off too in the matrix: give it every approval role, so the domain's own
  // "needs the product approval role" 403 cannot be mistaken for a permission refusal.
  const adminId = (await admin.get('/api/auth/me')).json().id as string;
  const patched = await admin.patch(`/api/users/${adminId}`, { approvalRoles: ['product', 'security', 'infrastructure', 'engineering'] });
  if (patched.statusCode !== 200) throw new Error(`giving the admin approval roles failed: ${patched.body}`);

  const delivery = await t.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });

  return {
    webhookId: webhook.id,
    deliveryId: delivery.id,
    spareWebhookId: spareWebhook.id,
    playbookId: playbook.id,
    releaseId: release.id,
    revision: release.revision,
    productItemId: productItem.id,
    spareUserId: spareUser.id,
    spareTokenId: spareToken.id,
    unique,
  };
}

/** Fills a URL template's `:params` and appends the query. */
export function urlOf(route: TRouteCase, parts: TRequestParts): string {
  const path = route.url.replace(/:(\w+)/g, (_, name: string) => {
    const value = parts.params?.[name];
    if (value === undefined) throw new Error(`${route.method} ${route.url}: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const query = parts.query ? new URLSearchParams(parts.query).toString() : '';
  return query ? `${path}?${query}` : path;
}

export interface TRawRequest {
  method: TRouteCase['method'];
  url: string;
  /** An object is sent as JSON; a string goes on the wire as it is. */
  payload?: unknown;
  contentType?: string;
}

export function send(t: TTestApp, headers: Record<string, string>, request: TRawRequest): Promise<LightMyRequestResponse> {
  const options: InjectOptions = { method: request.method, url: request.url, headers: { ...headers } };
  if (request.payload !== undefined) {
    options.payload = typeof request.payload === 'string' ? request.payload : JSON.stringify(request.payload);
    options.headers = { ...options.headers, 'content-type': request.contentType ?? 'application/json' };
  }
  return t.app.inject(options);
}

export function sendRoute(t: TTestApp, headers: Record<string, string>, route: TRouteCase, fixture: TFixture) {
  const parts = route.request(fixture);
  return send(t, headers, { method: route.method, url: urlOf(route, parts), payload: parts.body });
}

/** A fresh session of its own (not the cached one of `t.as`), since the matrix also calls logout. */
export async function freshSession(t: TTestApp, user: TUserName): Promise<Record<string, string>> {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: USERS[user], password: DEMO_PASSWORD } });
  const cookie = response.cookies.find((c) => c.name === 'rampart_session');
  if (response.statusCode !== 200 || !cookie) throw new Error(`login as ${user} failed: ${response.body}`);
  return { cookie: `rampart_session=${cookie.value}` };
}

export async function tokenOf(t: TTestApp, user: TUserName, scopes: TTokenScope[]): Promise<Record<string, string>> {
  const created = await (await t.as(user)).post('/api/tokens', { name: `matrix ${scopes.join(' ')}`, scopes });
  if (created.statusCode !== 201) throw new Error(`creating a token failed: ${created.body}`);
  return { authorization: `Bearer ${created.json().token as string}` };
}

/** The domain's view of a demo user (and, for a token, its scopes): what `can` decides from. */
export function actorOf(user: TUserName, scopes?: TTokenScope[]): TActor {
  const demo = DEMO_USERS.find((u) => u.email === USERS[user]);
  if (!demo) throw new Error(`no demo user ${user}`);
  return {
    kind: scopes ? 'token' : 'user',
    userId: null,
    name: demo.email,
    role: demo.role,
    approvalRoles: demo.approvalRoles,
    ...(scopes ? { scopes } : {}),
  };
}

/** What the release looks like from the outside, and how many of each thing exist. */
export async function snapshotState(t: TTestApp, releaseId: string) {
  const release = await t.db.release.findUniqueOrThrow({ where: { id: releaseId } });
  return {
    revision: release.revision,
    acknowledgedPercent: release.acknowledgedPercent,
    events: await t.db.releaseEvent.count({ where: { releaseId } }),
    releases: await t.db.release.count(),
    playbooks: await t.db.playbook.count(),
    users: await t.db.user.count(),
    tokens: await t.db.apiToken.count(),
    revokedTokens: await t.db.apiToken.count({ where: { revokedAt: { not: null } } }),
    approvals: await t.db.approval.count(),
    sessions: await t.db.session.count(),
  };
}
