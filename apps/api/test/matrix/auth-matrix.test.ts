// Every route × every kind of caller: anonymous gets 401 on every non-public route, a caller
// without the route's permission 403, a caller with it neither. The expectation of each cell comes
// from the domain's role table (`can`); the spot checks below pin a few cells by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTokenScope } from '@rampart/contracts';
import { can } from '@rampart/domain';
import type { TActor } from '@rampart/domain';
import { startTestApp } from '../support/test-app.js';
import type { TTestApp, TUserName } from '../support/test-app.js';
import { ROUTES, routeName, routeOf } from './routes.js';
import type { TRouteCase } from './routes.js';
import { actorOf, createFixture, freshSession, sendRoute, tokenOf } from './support.js';
import type { TFixture } from './support.js';

interface TCaller {
  name: string;
  actor: TActor | null;
  headers: Record<string, string>;
}

const CALLERS: { name: string; user?: TUserName; scopes?: TTokenScope[] }[] = [
  { name: 'anonymous' },
  { name: 'admin', user: 'admin' },
  { name: 'release owner', user: 'owner' },
  { name: 'product approver', user: 'product' },
  { name: 'support viewer', user: 'support' },
  { name: "owner's metrics:write token", user: 'owner', scopes: ['metrics:write'] },
  { name: "owner's releases:read token", user: 'owner', scopes: ['releases:read'] },
];

let t: TTestApp;
let f: TFixture;
let callers: TCaller[];

beforeAll(async () => {
  t = await startTestApp();
  f = await createFixture(t);
  callers = [];
  for (const caller of CALLERS) {
    const headers = !caller.user
      ? {}
      : caller.scopes
        ? await tokenOf(t, caller.user, caller.scopes)
        : await freshSession(t, caller.user);
    callers.push({ name: caller.name, actor: caller.user ? actorOf(caller.user, caller.scopes) : null, headers });
  }
});
afterAll(async () => t?.close());

type TOutcome = 'allowed' | 401 | 403;

function expected(route: TRouteCase, actor: TActor | null): TOutcome {
  if (route.access === 'public') return 'allowed';
  if (!actor) return 401;
  return can(actor, route.access) ? 'allowed' : 403;
}

/** The session-ending route goes last, so every other cell runs with live sessions. */
const ORDERED = [...ROUTES].sort((a, b) => Number(a.endsSession ?? false) - Number(b.endsSession ?? false));

describe('spot checks (hard-coded, so the matrix cannot pass vacuously)', () => {
  const cases: [string, TUserName | 'anonymous', TTokenScope[] | null, TRouteCase, number][] = [
    ['support cannot act on a release', 'support', null, routeOf('POST', '/api/releases/:id/actions/:action'), 403],
    ['the product approver cannot create a release', 'product', null, routeOf('POST', '/api/releases'), 403],
    ['the release owner cannot create users', 'owner', null, routeOf('POST', '/api/users'), 403],
    ['the release owner cannot write playbooks', 'owner', null, routeOf('POST', '/api/playbooks'), 403],
    ['support cannot tick a checklist item', 'support', null, routeOf('PATCH', '/api/releases/:id/checklist/:itemId'), 403],
    ['a metrics-only token cannot read a release', 'owner', ['metrics:write'], routeOf('GET', '/api/releases/:id'), 403],
    ['a releases:read token cannot act', 'owner', ['releases:read'], routeOf('POST', '/api/releases/:id/actions/:action'), 403],
    ['a releases:read token cannot ack traffic', 'owner', ['releases:read'], routeOf('POST', '/api/releases/:id/traffic/ack'), 403],
    ['anonymous cannot list releases', 'anonymous', null, routeOf('GET', '/api/releases'), 401],
    ['anonymous cannot revoke a token', 'anonymous', null, routeOf('DELETE', '/api/tokens/:id'), 401],
    ['anonymous sees the status page', 'anonymous', null, routeOf('GET', '/api/status'), 200],
    ['a releases:read token reads a release', 'owner', ['releases:read'], routeOf('GET', '/api/releases/:id'), 200],
    ['the release owner creates a release', 'owner', null, routeOf('POST', '/api/releases'), 201],
    ['the product approver signs off', 'product', null, routeOf('POST', '/api/releases/:id/approvals'), 200],
    ['the product approver ticks a product item', 'product', null, routeOf('PATCH', '/api/releases/:id/checklist/:itemId'), 200],
    ['the admin lists users', 'admin', null, routeOf('GET', '/api/users'), 200],
  ];
  it.each(cases)('%s', async (_name, user, scopes, route, status) => {
    const headers = user === 'anonymous' ? {} : scopes ? await tokenOf(t, user, scopes) : (await t.as(user)).headers;
    // The sign-off and the tick carry no stale revision here: the spot check wants their 200.
    const parts = route.request(f);
    const request = { ...route, request: () => ({ ...parts, body: parts.body && { ...parts.body, expectedRevision: undefined } }) };
    const response = await sendRoute(t, headers, request, f);
    expect(response.statusCode, response.body).toBe(status);
    if (status === 403) expect(response.json()).toMatchObject({ error: 'forbidden', message: `Your role does not allow ${route.access}` });
  });
});

describe('the matrix', () => {
  it('has refusals and permissions in every column', () => {
    for (const caller of callers) {
      const outcomes = new Set(ROUTES.map((route) => expected(route, caller.actor)));
      expect(outcomes.has('allowed'), caller.name).toBe(true);
      expect(outcomes.has(caller.actor ? 403 : 401) || caller.name === 'admin', caller.name).toBe(true);
    }
  });

  it.each(ORDERED.map((route) => [routeName(route), route] as const))('%s', async (_name, route) => {
    const answers: string[] = [];
    const wanted: string[] = [];
    for (const caller of callers) {
      const outcome = expected(route, caller.actor);
      const response = await sendRoute(t, caller.headers, route, f);
      const status = response.statusCode;
      const got = status === 401 || status === 403 ? status : status < 500 ? 'allowed' : `${status} ${response.body}`;
      answers.push(`${caller.name}: ${got}`);
      wanted.push(`${caller.name}: ${outcome}`);
      if (status === 403 && outcome === 403) {
        expect(response.json()).toEqual({ statusCode: 403, error: 'forbidden', message: `Your role does not allow ${route.access}` });
      }
    }
    // One comparison per route, so a failure shows the whole row.
    expect(answers).toEqual(wanted);
  });
});

describe('a scoped token', () => {
  // BUG (server): POST /api/tokens needs only `self`, which every token has, and createApiToken
  // never compares the requested scopes with the caller's own. So a token limited to
  // metrics:write mints a token with releases:write (or admin) and escapes its scope:
  //   POST /api/tokens  Authorization: Bearer <metrics:write token>  {"name":"x","scopes":["releases:write"]}
  //   → 201 with a token that can create and act on releases.
  // Tokens are managed by people: a scoped token cannot mint another (its own scopes or more).
  it('cannot mint a token with scopes it does not hold', async () => {
    const metricsOnly = await tokenOf(t, 'owner', ['metrics:write']);
    const minted = await sendRoute(t, metricsOnly, { ...routeOf('POST', '/api/tokens'), request: () => ({ body: { name: 'escalate', scopes: ['releases:write'] } }) }, f);
    expect(minted.statusCode, minted.body).toBe(403);
  });
});
