// Fuzzes every route of the served OpenAPI document over real HTTP, as every kind of caller: bodies,
// queries and path parameters drawn from the document's own schemas, spoiled with hostile values
// (NUL, lone surrogates, huge text, numbers as text, wrong types, __proto__ keys). Whatever comes in,
// the answer is never a 5xx, and a 400 always names its field. The seed is fixed, so a failure
// replays; FUZZ_SEED and FUZZ_RUNS explore further, FUZZ_DEBUG prints every request.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/test-app.js';
import type { TTestApp, TUserName } from '../support/test-app.js';
import { ROUTES, routeName, routeOf } from '../matrix/routes.js';
import type { TMethod, TRouteCase } from '../matrix/routes.js';
import { createFixture, freshSession, tokenOf } from '../matrix/support.js';
import type { TFixture } from '../matrix/support.js';
import { HOSTILE_STRINGS, HOSTILE_VALUES, schemaArbitrary } from './arbitraries.js';
import type { TComponents, TJsonSchema } from './arbitraries.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261129);
/** Fuzzed requests per route, on top of each role's valid request: about 1,450 requests, 40 to 90 s on a busy machine. */
const RUNS_PER_ROUTE = Number(process.env['FUZZ_RUNS'] ?? 32);
const ANSWER_WITHIN_MS = 15_000;

const ROLES = ['admin', 'owner', 'approver', 'support', 'anonymous', 'token'] as const;
type TRole = (typeof ROLES)[number];
const USER_OF: Partial<Record<TRole, TUserName>> = { admin: 'admin', owner: 'owner', approver: 'product', support: 'support' };

interface TOperation {
  route: TRouteCase;
  pathParams: Record<string, TJsonSchema>;
  queryParams: Record<string, TJsonSchema>;
  body: TJsonSchema | null;
}

type TBody = { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string } | { kind: 'none' };

interface TFuzzRequest {
  role: TRole;
  params: Record<string, string>;
  query: Record<string, string>;
  body: TBody;
  /** What was spoiled, for the report of a failure. */
  how: string;
}

interface TOpenApi {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: TJsonSchema }[]; requestBody?: { content: Record<string, { schema: TJsonSchema }> } }>>;
  components: { schemas: TComponents };
}

/** Percent-encodes like encodeURIComponent, but writes a lone surrogate as the bytes a careless client would send. */
function encodePart(text: string): string {
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (ch) => {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
    return encodeURIComponent(ch);
  });
}

function urlOf(route: TRouteCase, request: TFuzzRequest): string {
  const path = route.url.replace(/:(\w+)/g, (_, name: string) => encodePart(request.params[name] ?? ''));
  const query = Object.entries(request.query).map(([k, v]) => `${encodePart(k)}=${encodePart(v)}`).join('&');
  return query ? `${path}?${query}` : path;
}

/** The document's operations, then the routes it leaves out (/metrics, the websocket, the document itself) with no schema. */
function operationsOf(doc: TOpenApi): TOperation[] {
  const operations: TOperation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const url = path.replace(/\{(\w+)\}/g, ':$1').replace(/(.)\/$/, '$1');
      const route = routeOf(method.toUpperCase() as TMethod, url);
      const parameters = operation.parameters ?? [];
      const pick = (where: string) => Object.fromEntries(parameters.filter((p) => p.in === where).map((p) => [p.name, p.schema]));
      operations.push({ route, pathParams: pick('path'), queryParams: pick('query'), body: operation.requestBody?.content['application/json']?.schema ?? null });
    }
  }
  const documented = new Set(operations.map((op) => op.route));
  for (const route of ROUTES.filter((r) => !documented.has(r))) operations.push({ route, pathParams: {}, queryParams: {}, body: null });
  return operations;
}

/** A generated value as it would sit in a URL. */
const asText = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

/** Every path to a value inside `value`, so one of them can be spoiled. */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, inner]) => leafPaths(inner, [...prefix, key]))];
}

function withValueAt(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  const [head, ...rest] = path as [string, ...string[]];
  copy[head] = withValueAt(copy[head], rest, replacement);
  return copy;
}

/** Bodies no schema describes: prototype pollution, JSON that is not an object, JSON that is not JSON. */
function rawBodies(valid: unknown): string[] {
  const inner = JSON.stringify(valid ?? {}).slice(1);
  return [
    `{"__proto__":{"admin":true},${inner}`,
    `{"constructor":{"prototype":{"admin":true}},${inner}`,
    'null',
    '[]',
    '"text"',
    '1e999',
    '{"a":',
    '',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    JSON.stringify({ padding: 'x'.repeat(3 * 1024 * 1024) }),
  ];
}

function requestArbitrary(op: TOperation, f: TFixture, components: TComponents): Arbitrary<TFuzzRequest> {
  const base = op.route.request(f);
  const baseParams = base.params ?? {};
  const baseQuery = base.query ?? {};
  const baseBody: TBody = base.body === undefined ? { kind: 'none' } : { kind: 'json', value: base.body };
  const role = fc.constantFrom(...ROLES);
  const hostileText = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 30 }));
  const variants: Arbitrary<Omit<TFuzzRequest, 'role'>>[] = [];

  const queryKeys = Object.keys(op.queryParams);
  const schemaQuery = fc.record(
    Object.fromEntries(queryKeys.map((k) => [k, schemaArbitrary(op.queryParams[k]!, components).map(asText)])),
    { requiredKeys: [] },
  );
  if (op.body) {
    variants.push(
      fc.record({ body: schemaArbitrary(op.body, components) }).map(({ body }) => ({
        params: baseParams,
        query: baseQuery,
        body: { kind: 'json', value: body },
        how: 'a body from the schema',
      })),
    );
    const paths = leafPaths(base.body ?? {});
    variants.push(
      fc.tuple(fc.constantFrom(...paths), HOSTILE_VALUES).map(([path, value]) => ({
        params: baseParams,
        query: baseQuery,
        body: { kind: 'json', value: withValueAt(base.body ?? {}, path, value) },
        how: `body.${path.join('.')} spoiled`,
      })),
    );
    variants.push(
      fc.constantFrom(...rawBodies(base.body)).map((text) => ({
        params: baseParams,
        query: baseQuery,
        body: { kind: 'raw', text, contentType: 'application/json' },
        how: `a raw body ${JSON.stringify(text.slice(0, 40))}`,
      })),
    );
  }
  if (queryKeys.length > 0) {
    variants.push(schemaQuery.map((query) => ({ params: baseParams, query: query as Record<string, string>, body: baseBody, how: 'a query from the schema' })));
  }
  // Unknown keys too: a route that takes no query must still shrug one off.
  variants.push(
    fc.tuple(fc.constantFrom(...queryKeys, '__proto__', 'constructor', 'x\u0000'), hostileText).map(([key, value]) => ({
      params: baseParams,
      query: { ...baseQuery, [key]: value },
      body: baseBody,
      how: `querystring.${key} spoiled`,
    })),
  );
  const paramKeys = Object.keys(op.pathParams);
  if (paramKeys.length > 0) {
    const schemaParam = (key: string) => schemaArbitrary(op.pathParams[key]!, components).map(asText);
    variants.push(
      fc.constantFrom(...paramKeys).chain((key) =>
        fc.oneof(hostileText, schemaParam(key)).map((value) => ({
          params: { ...baseParams, [key]: value },
          query: baseQuery,
          body: baseBody,
          how: `params.${key} spoiled`,
        })),
      ),
    );
  }
  return fc.tuple(role, fc.oneof(...variants)).map(([r, rest]) => ({ role: r, ...rest }));
}

/** A 400 names a field: `field` is the input it is about (body, querystring, params or url, maybe with a path) and the message starts with it. */
function namesAField(json: { field?: unknown; message?: unknown }): boolean {
  return (
    typeof json.field === 'string' &&
    /^(body|querystring|params|url)(\.|$)/.test(json.field) &&
    typeof json.message === 'string' &&
    json.message.startsWith(`${json.field}: `)
  );
}

let t: TTestApp;
let f: TFixture;
let origin: string;
let operations: TOperation[];
let components: TComponents;
const headersOf = {} as Record<TRole, Record<string, string>>;

beforeAll(async () => {
  // No webhook sender, so fuzzed webhooks call nowhere; the fixture's targets are on loopback, opened here.
  t = await startTestApp({ webhooks: false, env: { RAMPART_OUTBOUND_ALLOW: '127.0.0.1' } });
  f = await createFixture(t);
  for (const role of ROLES) {
    const user = USER_OF[role];
    if (user) headersOf[role] = await freshSession(t, user);
  }
  headersOf.anonymous = {};
  headersOf.token = await tokenOf(t, 'owner', ['releases:read', 'releases:write', 'metrics:write', 'traffic:ack']);
  origin = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const doc = (await (await fetch(`${origin}/api/openapi.json`)).json()) as TOpenApi;
  operations = operationsOf(doc);
  components = doc.components.schemas;
}, 120_000);
afterAll(async () => t?.close());

describe('fuzzing every route of the OpenAPI document', () => {
  it('never answers 5xx, and every 400 names its field', async () => {
    const started = performance.now();
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let sent = 0;
    let fiveHundreds = 0;

    async function send(op: TOperation, request: TFuzzRequest) {
      const user = USER_OF[request.role];
      // Logging out ends the session: use one of its own, so the role keeps its session for what follows.
      const headers: Record<string, string> = op.route.endsSession && user ? await freshSession(t, user) : { ...headersOf[request.role] };
      let payload: string | undefined;
      if (request.body.kind !== 'none' && op.route.method !== 'GET') {
        payload = request.body.kind === 'json' ? JSON.stringify(request.body.value) : request.body.text;
        headers['content-type'] = request.body.kind === 'json' ? 'application/json' : request.body.contentType;
      }
      const url = urlOf(op.route, request);
      if (process.env['FUZZ_DEBUG']) console.log(`${op.route.method} ${url.slice(0, 120)} as ${request.role}, ${request.how}`);
      sent += 1;
      let response: Response;
      let text: string;
      try {
        // A request left unanswered is a failure too (a hang), not a reason to wait forever.
        const signal = AbortSignal.timeout(ANSWER_WITHIN_MS);
        response = await fetch(`${origin}${url}`, { method: op.route.method, headers, signal, ...(payload === undefined ? {} : { body: payload }) });
        text = await response.text();
      } catch (error) {
        failures.push(`no answer: ${routeName(op.route)} as ${request.role}, ${request.how}: ${String(error)}`);
        return;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const where = `${op.route.method} ${url.slice(0, 300)} as ${request.role}, ${request.how}: ${response.status} ${text.slice(0, 200)}`;
      if (response.status >= 500) {
        fiveHundreds += 1;
        failures.push(where);
      } else if (response.status === 400) {
        let json: { field?: unknown; message?: unknown } = {};
        try {
          json = JSON.parse(text) as typeof json;
        } catch {
          // Not JSON: names nothing.
        }
        if (!namesAField(json)) failures.push(`400 naming no field: ${where}`);
      }
    }

    for (const [index, op] of operations.entries()) {
      // Every role's valid request first, then the fuzzed ones.
      const base = op.route.request(f);
      for (const role of ROLES) {
        await send(op, {
          role,
          params: base.params ?? {},
          query: base.query ?? {},
          body: base.body === undefined ? { kind: 'none' } : { kind: 'json', value: base.body },
          how: 'the valid request',
        });
      }
      for (const request of fc.sample(requestArbitrary(op, f, components), { seed: SEED + index, numRuns: RUNS_PER_ROUTE })) {
        await send(op, request);
      }
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
    console.log(
      `openapi fuzz (seed ${SEED}): ${sent} requests to ${operations.length} operations as ${ROLES.length} roles in ${seconds} s; ` +
        `${fiveHundreds} answered 5xx; by status: ${byStatus}`,
    );
    expect(operations.length).toBe(ROUTES.length);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(fiveHundreds).toBe(0);
  }, 170_000);
});
