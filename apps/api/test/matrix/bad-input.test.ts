// Bad input on every route that takes any: each answer is a 4xx (never a 500), a validation error
// is a 400 naming the field and the problem, and nothing of it is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';
import type { TTestApp } from '../support/test-app.js';
import { ROUTES, routeName, routeOf } from './routes.js';
import type { TMethod, TRequestParts, TRouteCase } from './routes.js';
import { createFixture, send, snapshotState, urlOf } from './support.js';
import type { TFixture, TRawRequest } from './support.js';

interface TExpect {
  status: number;
  /** For a validation error: the `field` of the answer, and what its message must say. */
  field?: string;
  message?: RegExp;
}
interface TCase extends TExpect {
  name: string;
  /** `route` is there when the request was built from a route's valid one. */
  build: ((f: TFixture) => TRawRequest) & { route?: TRouteCase };
}

const MB = 'x'.repeat(1024 * 1024);
const OVER_BODY_LIMIT = JSON.stringify({ padding: 'x'.repeat(5 * 1024 * 1024) });
const MISSING = /expected .*received undefined|expected one of/i;
const WRONG_TYPE = /Invalid (input|option)/;
const TOO_LONG = /too big|at most/i;
const UUID = '00000000-0000-4000-8000-000000000000';
const NUL = /must not contain a NUL character/;
const SURROGATE = /must not contain an unpaired UTF-16 surrogate/;
/** Path parameters that take one of a few words, and those that take a name (any text), rather than an id. */
const ENUM_PARAMS = ['action', 'hook'];
const NAME_PARAMS = ['service'];

/** Builds a request from the route's valid one, changed by `change`. */
function variant(route: TRouteCase, change: (parts: TRequestParts) => Partial<TRawRequest> & { parts?: TRequestParts }) {
  const build = (f: TFixture): TRawRequest => {
    const parts = route.request(f);
    const changed = change(structuredClone(parts));
    return { method: route.method, url: urlOf(route, changed.parts ?? parts), payload: parts.body, ...changed };
  };
  return Object.assign(build, { route });
}
const withBody = (route: TRouteCase, edit: (body: Record<string, unknown>) => unknown) =>
  variant(route, (parts) => ({ payload: edit(parts.body ?? {}) }));
const withParams = (route: TRouteCase, params: Record<string, string>) =>
  variant(route, (parts) => ({ parts: { ...parts, params: { ...parts.params, ...params } } }));
const withQuery = (route: TRouteCase, query: Record<string, string>) =>
  variant(route, (parts) => ({ parts: { ...parts, query: { ...parts.query, ...query } } }));

function wrongTypeOf(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return '12';
  if (typeof value === 'boolean') return 'true';
  if (Array.isArray(value)) return { 0: value[0] };
  return [value];
}

/** The keys of a route's valid body; the ids in it do not matter for that. */
const PLACEHOLDER: TFixture = { playbookId: UUID, releaseId: UUID, revision: 1, productItemId: UUID, spareUserId: UUID, spareTokenId: UUID, webhookId: UUID, deliveryId: UUID, spareWebhookId: UUID, unique: () => 'x' };

function generated(route: TRouteCase): TCase[] {
  const cases: TCase[] = [];
  const add = (name: string, build: TCase['build'], expected: TExpect) => cases.push({ name: `${routeName(route)}: ${name}`, build, ...expected });
  const { body: bodySchema, params } = route.schemas;
  if (bodySchema) {
    const raw = (payload: string, contentType = 'application/json') => variant(route, () => ({ payload, contentType }));
    add('malformed JSON', raw('{"service": "checkout",'), { status: 400, message: /JSON/ });
    add('an empty JSON body', raw(''), { status: 400 });
    add('a JSON array', raw('[{"percent": 5}]'), { status: 400, field: 'body', message: /expected object, received array/ });
    add('a JSON string', raw('"percent"'), { status: 400, field: 'body', message: /expected object, received string/ });
    add('JSON null', raw('null'), { status: 400, field: 'body', message: /expected object/ });
    // Fastify parses text/plain by default: the schema then refuses a string.
    add('text/plain', raw('percent=5', 'text/plain'), { status: 400, field: 'body', message: /expected object, received string/ });
    add('a form', raw('percent=5', 'application/x-www-form-urlencoded'), { status: 415 });
    add('a body over the limit', raw(OVER_BODY_LIMIT), { status: 413 });
    const body = route.request(PLACEHOLDER).body ?? {};
    const shape = (bodySchema as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
    for (const key of Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success)) {
      add(`without ${key}`, withBody(route, ({ [key]: _, ...rest }) => rest), { status: 400, field: `body.${key}`, message: MISSING });
    }
    for (const [key, value] of Object.entries(body)) {
      add(`${key} of the wrong type`, withBody(route, (b) => ({ ...b, [key]: wrongTypeOf(value) })), { status: 400, field: `body.${key}`, message: WRONG_TYPE });
      if (typeof value !== 'string') continue;
      // PostgreSQL stores neither: refused before any schema or service, naming the field.
      add(`${key} with a NUL`, withBody(route, (b) => ({ ...b, [key]: `${value}\u0000` })), { status: 400, field: `body.${key}`, message: NUL });
      add(`${key} with a lone surrogate`, withBody(route, (b) => ({ ...b, [key]: `\ud800${value}` })), { status: 400, field: `body.${key}`, message: SURROGATE });
    }
  }
  for (const name of Object.keys(route.schemas.querystring?.shape ?? {})) {
    add(`?${name} with a NUL`, withQuery(route, { [name]: 'a\u0000' }), { status: 400, field: `querystring.${name}`, message: NUL });
  }
  for (const name of Object.keys(params?.shape ?? {})) {
    const kind = ENUM_PARAMS.includes(name) ? 'enum' : NAME_PARAMS.includes(name) ? 'name' : 'uuid';
    if (kind !== 'name') {
      add(`:${name} not ${kind === 'enum' ? 'one of its values' : 'a UUID'}`, withParams(route, { [name]: kind === 'enum' ? 'launch' : 'not-a-uuid' }), {
        status: 400,
        field: `params.${name}`,
        message: kind === 'enum' ? /Invalid option/ : /Invalid UUID/,
      });
    }
    add(`:${name} with a NUL`, withParams(route, { [name]: 'a\u0000' }), { status: 400, field: `params.${name}`, message: NUL });
    if (kind === 'enum') continue;
    // Over Fastify's maxParamLength (100) the router answers 414 itself, in the API's error shape.
    add(`:${name} far too long`, withParams(route, { [name]: 'a'.repeat(5000) }), { status: 414 });
    add(`:${name} a UUID of nothing`, withParams(route, { [name]: UUID }), { status: 404 });
  }
  return cases;
}

const r = (method: TMethod, url: string) => routeOf(method, url);
const release = r('POST', '/api/releases');
const ack = r('POST', '/api/releases/:id/traffic/ack');
const act = r('POST', '/api/releases/:id/actions/:action');
const tick = r('PATCH', '/api/releases/:id/checklist/:itemId');
const signoff = r('POST', '/api/releases/:id/approvals');
const user = r('POST', '/api/users');
const token = r('POST', '/api/tokens');
const playbook = r('POST', '/api/playbooks');
const list = r('GET', '/api/releases');
const events = r('GET', '/api/releases/:id/events');
const series = r('GET', '/api/releases/:id/metrics');
const push = r('POST', '/api/releases/:id/metrics');
const deliveries = r('GET', '/api/webhooks/:id/deliveries');

const bad = (field: string, message: RegExp): TExpect => ({ status: 400, field, message });
const set = (route: TRouteCase, changes: Record<string, unknown>) => withBody(route, (b) => ({ ...b, ...changes }));
const spec = (edit: (s: Record<string, unknown>) => Record<string, unknown>) =>
  withBody(playbook, (b) => ({ ...b, spec: edit(b['spec'] as Record<string, unknown>) }));

const HANDWRITTEN: [string, TCase['build'], TExpect][] = [
  ['traffic ack percent -1', set(ack, { percent: -1 }), bad('body.percent', /too small.*>=0/i)],
  ['traffic ack percent 101', set(ack, { percent: 101 }), bad('body.percent', /too big.*<=100/i)],
  ['traffic ack percent "50"', set(ack, { percent: '50' }), bad('body.percent', /expected number, received string/)],
  ['expectedRevision 1.5', set(act, { expectedRevision: 1.5 }), bad('body.expectedRevision', /expected int/)],
  ['expectedRevision 0', set(act, { expectedRevision: 0 }), bad('body.expectedRevision', /too small.*>=1/i)],
  ['expectedRevision -3 on a tick', set(tick, { expectedRevision: -3 }), bad('body.expectedRevision', /too small/i)],
  ['force "yes"', set(act, { force: 'yes' }), bad('body.force', /expected boolean/)],
  ['a reason of 1 MB', set(act, { reason: MB }), bad('body.reason', TOO_LONG)],
  ['checklist status "finished"', set(tick, { status: 'finished' }), bad('body.status', /Invalid option/)],
  ['checklist note of 1 MB', set(tick, { note: MB }), bad('body.note', TOO_LONG)],
  ['sign-off role "ceo"', set(signoff, { role: 'ceo' }), bad('body.role', /Invalid option/)],
  ['sign-off decision "maybe"', set(signoff, { decision: 'maybe' }), bad('body.decision', /Invalid option/)],
  ['sign-off stage "Not A Slug"', set(signoff, { stage: 'Not A Slug' }), bad('body.stage', /lowercase/)],
  ['sign-off stage 5', set(signoff, { stage: 5 }), bad('body.stage', /expected string/)],
  ['sign-off comment of 1 MB', set(signoff, { comment: MB }), bad('body.comment', TOO_LONG)],
  ['release service of 1 MB', set(release, { service: MB }), bad('body.service', TOO_LONG)],
  ['release service with a space', set(release, { service: 'check out' }), bad('body.service', /letters, digits/)],
  ['release version with a space', set(release, { version: '1 2' }), bad('body.version', /spaces/)],
  ['release notes of 1 MB', set(release, { notes: MB }), bad('body.notes', /at most 10000/)],
  ['release playbookId not a UUID', set(release, { playbookId: 'pb-1' }), bad('body.playbookId', /Invalid UUID/)],
  // Refusals of the services name the field without the `body.` prefix that validation uses.
  ['release of a playbook that does not exist', set(release, { playbookId: UUID }), bad('body.playbookId', /^body\.playbookId: no playbook/)],
  ['sign-off for a stage that does not exist', set(signoff, { stage: 'nowhere' }), bad('body.stage', /^body\.stage: No stage "nowhere"/)],
  ['an approver without approval roles', set(user, { approvalRoles: [] }), bad('body.approvalRoles', /^body\.approvalRoles: an approver needs at least one approval role/)],
  ['a release id that is not valid percent-encoding', (f) => ({ method: 'GET', url: `/api/releases/${f.releaseId.slice(0, 8)}%E0%A4%A` }), { status: 400 }],
  ['user role "root"', set(user, { role: 'root' }), bad('body.role', /Invalid option/)],
  ['user approval role "ceo"', set(user, { approvalRoles: ['ceo'] }), bad('body.approvalRoles.0', /Invalid option/)],
  ['user email "nobody"', set(user, { email: 'nobody' }), bad('body.email', /email/i)],
  ['user password of 3 characters', set(user, { password: 'abc' }), bad('body.password', /at least 8/)],
  ['user name of 1 MB', set(user, { name: MB }), bad('body.name', TOO_LONG)],
  ['a user change with no field', withBody(r('PATCH', '/api/users/:id'), () => ({})), bad('body', /at least one field/)],
  ['login email of 1 MB', set(r('POST', '/api/auth/login'), { email: `${MB}@x.io` }), bad('body.email', /./)],
  ['token scope "root"', set(token, { scopes: ['root'] }), bad('body.scopes.0', /Invalid option/)],
  ['token with no scope', set(token, { scopes: [] }), bad('body.scopes', /too small/i)],
  ['token expiring in 0 days', set(token, { expiresInDays: 0 }), bad('body.expiresInDays', /too small/i)],
  ['token expiring in 1.5 days', set(token, { expiresInDays: 1.5 }), bad('body.expiresInDays', /expected int/)],
  ['token name of 1 MB', set(token, { name: MB }), bad('body.name', TOO_LONG)],
  ['token for a user that is no UUID', set(token, { userId: 'admin' }), bad('body.userId', /Invalid UUID/)],
  ['playbook key "Bad Key"', set(playbook, { key: 'Bad Key' }), bad('body.key', /lowercase/)],
  ['playbook with no stage', spec((s) => ({ ...s, stages: [] })), bad('body.spec.stages', /too small/i)],
  ['playbook stage at 101%', spec((s) => ({ ...s, stages: [{ key: 'all', name: 'All', trafficPercent: 101, minBakeSeconds: 0 }] })), bad('body.spec.stages.0.trafficPercent', /too big/i)],
  ['playbook gate kind "vibes"', spec((s) => ({ ...s, gates: [{ kind: 'vibes', key: 'g', name: 'G', severity: 'warn' }] })), bad('body.spec.gates.0.kind', /./)],
  ['playbook edit expectedVersion 0', set(r('PUT', '/api/playbooks/:id'), { expectedVersion: 0 }), bad('body.expectedVersion', /too small/i)],
  ['events before=abc', withQuery(events, { before: 'abc' }), bad('querystring.before', /must be an event id/)],
  ['series metric "Error Rate"', withQuery(series, { metric: 'Error Rate' }), bad('querystring.metric', /snake_case/)],
  ['series from=yesterday', withQuery(series, { from: 'yesterday' }), bad('querystring.from', /ISO 8601|epoch/)],
  ['series from=9999999999999999 (past the last Date)', withQuery(series, { from: '9999999999999999' }), bad('querystring.from', /ISO 8601|epoch/)],
  ['series step=0', withQuery(series, { step: '0' }), bad('querystring.step', /too small/i)],
  ['deliveries status=lost', withQuery(deliveries, { status: 'lost' }), bad('querystring.status', /pending|Invalid option/)],
  ['deliveries limit=1000', withQuery(deliveries, { limit: '1000' }), bad('querystring.limit', /too big/i)],
  ['series step=1.5', withQuery(series, { step: '1.5' }), bad('querystring.step', /int/i)],
  ['metrics with no points', set(push, { points: [] }), bad('body.points', /too small/i)],
  ['metric point ts "soon"', set(push, { points: [{ ts: 'soon', cohort: 'canary', metric: 'requests', value: 1 }] }), bad('body.points.0.ts', /ISO 8601/)],
  ['metric point cohort "control"', set(push, { points: [{ ts: 0, cohort: 'control', metric: 'requests', value: 1 }] }), bad('body.points.0.cohort', /canary|baseline/)],
  ['metric point value "1"', set(push, { points: [{ ts: 0, cohort: 'canary', metric: 'requests', value: '1' }] }), bad('body.points.0.value', /expected number/)],
  ['histogram without +Inf', set(push, { points: [{ ts: 0, cohort: 'canary', metric: 'latency_ms', buckets: [{ le: 10, count: 1 }, { le: 20, count: 2 }] }] }), bad('body.points.0.buckets.1.le', /\+Inf/)],
  ['events before=2026-03-02', withQuery(events, { before: '2026-03-02' }), bad('querystring.before', /must be an event id/)],
  ['events limit=0', withQuery(events, { limit: '0' }), bad('querystring.limit', /too small.*>=1/i)],
  ['events limit=10000', withQuery(events, { limit: '10000' }), bad('querystring.limit', /too big.*<=200/i)],
  ['events limit=1.5', withQuery(events, { limit: '1.5' }), bad('querystring.limit', /expected int/)],
  ['events limit=ten', withQuery(events, { limit: 'ten' }), bad('querystring.limit', /expected number/)],
  ['releases state=launched', withQuery(list, { state: 'launched' }), bad('querystring.state.0', /Invalid option/)],
  ['releases state=draft,launched', withQuery(list, { state: 'draft,launched' }), bad('querystring.state.1', /Invalid option/)],
  ['releases limit=0', withQuery(list, { limit: '0' }), bad('querystring.limit', /too small/i)],
  ['releases limit=10000', withQuery(list, { limit: '10000' }), bad('querystring.limit', /too big/i)],
  ['releases limit=1.5', withQuery(list, { limit: '1.5' }), bad('querystring.limit', /expected int/)],
  ['releases offset=-1', withQuery(list, { offset: '-1' }), bad('querystring.offset', /too small/i)],
  ['releases service of 1000 characters', withQuery(list, { service: 'x'.repeat(1000) }), bad('querystring.service', TOO_LONG)],
  ['a playbook stage name with a lone surrogate', spec((s) => ({ ...s, stages: [{ key: 'all', name: 'All \udfff', trafficPercent: 100, minBakeSeconds: 0 }] })), bad('body.spec.stages.0.name', SURROGATE)],
  ['a metrics-source label with a NUL', withBody(r('PUT', '/api/releases/:id/metrics-source'), (b) => ({ ...b, labels: { namespace: 'shop\u0000' } })), bad('body.labels.namespace', NUL)],
  ['a metrics-source label key with a NUL', withBody(r('PUT', '/api/releases/:id/metrics-source'), (b) => ({ ...b, labels: { 'name\u0000': 'shop' } })), bad('body.labels', /has a key that must not contain a NUL/)],
  ['a JSON body with a __proto__ key', variant(release, (parts) => ({ payload: `{"__proto__":{"admin":true},${JSON.stringify(parts.body).slice(1)}` })), bad('body', /not valid JSON/)],
  ['a JSON body nested 5000 levels deep', variant(release, () => ({ payload: `${'['.repeat(5000)}${']'.repeat(5000)}` })), bad('body', /expected object/)],
];

const CASES: TCase[] = [
  ...ROUTES.flatMap(generated),
  ...HANDWRITTEN.map(([name, build, expected]) => ({ name, build, ...expected })),
];

let t: TTestApp;
let f: TFixture;
let headers: Record<string, string>;
let before: Awaited<ReturnType<typeof snapshotState>>;

beforeAll(async () => {
  // The fixture's webhooks and Prometheus source point at loopback, which the outbound policy refuses unless opened.
  t = await startTestApp({ env: { RAMPART_OUTBOUND_ALLOW: '127.0.0.1' } });
  f = await createFixture(t);
  // The admin holds every permission, so each answer is about the input, never about the caller.
  headers = (await t.as('admin')).headers;
  before = await snapshotState(t, f.releaseId);
});
afterAll(async () => t?.close());

describe('bad input', () => {
  it('spoils the body, the query and the path parameters of every route that takes them', () => {
    const part = { body: 'body', querystring: 'querystring', params: 'params' } as const;
    for (const route of ROUTES) {
      const fields = CASES.filter((c) => c.build.route === route && c.field).map((c) => c.field!.split('.')[0]!);
      const spoiled = fields.filter((field) => Object.values(part).includes(field as never));
      const wanted = (Object.keys(route.schemas) as (keyof typeof part)[]).map((key) => part[key]);
      expect([...new Set(spoiled)].sort(), routeName(route)).toEqual(wanted.sort());
    }
    expect(CASES.length).toBeGreaterThan(200);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const response = await send(t, headers, c.build(f));
    const answer = `${response.statusCode} ${response.body.slice(0, 300)}`;
    expect(response.statusCode, answer).toBe(c.status);
    const json = response.json();
    expect(json, answer).toMatchObject({ statusCode: c.status, error: expect.any(String), message: expect.any(String) });
    // Never echo a huge input back.
    expect(response.body.length, answer).toBeLessThan(2000);
    if (c.field) expect(json.field, answer).toBe(c.field);
    // Validation messages start with the field; a service's refusal may phrase it its own way.
    const validation = c.field && /^(body|params|querystring)\b/.test(c.field);
    if (validation) expect(json.message, answer).toMatch(new RegExp(`^${c.field!.replace(/\./g, '\\.')}: `));
    if (c.message) expect(json.message, answer).toMatch(c.message);
  });

  it('wrote nothing: the release revision, its events, and every count are unchanged', async () => {
    expect(await snapshotState(t, f.releaseId)).toEqual(before);
  });
});

describe('good input at the edges', () => {
  it('accepts a fractional traffic percent (12.5) and bumps the revision once', async () => {
    const response = await send(t, headers, { method: 'POST', url: `/api/releases/${f.releaseId}/traffic/ack`, payload: { percent: 12.5 } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ acknowledgedPercent: 12.5, revision: before.revision + 1 });
    expect(await snapshotState(t, f.releaseId)).toMatchObject({ revision: before.revision + 1, events: before.events + 1, acknowledgedPercent: 12.5 });
  });

  it('accepts limit=200 and before=0 on the events', async () => {
    const response = await send(t, headers, { method: 'GET', url: `/api/releases/${f.releaseId}/events?limit=200&before=0` });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ events: [], nextBefore: null });
  });
});
