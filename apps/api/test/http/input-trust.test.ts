// Input PostgreSQL would choke on is refused up front, naming the field: a NUL character or a lone
// UTF-16 surrogate anywhere (text fields, free-form JSON, object keys, the query, the path). Creates
// racing on a unique key answer one 201 and 409s naming the conflict, never 500. And the metrics
// answer counts only the points that were new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { uniqueConflict, uniqueViolationOf } from '../../src/errors.js';
import { createTestPlaybook, createTestRelease, TEST_PLAYBOOK_SPEC } from '../support/playbook-fixture.js';
import type { TClient, TTestApp } from '../support/test-app.js';
import { pipelineClient, startTestApp } from '../support/test-app.js';

let t: TTestApp;
let admin: TClient;
let owner: TClient;
let pipeline: TClient;
let playbookId: string;
let releaseId: string;
let revision: number;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.as('admin');
  owner = await t.as('owner');
  playbookId = await createTestPlaybook(t);
  const release = await createTestRelease(t, playbookId);
  releaseId = release.id;
  revision = release.revision;
  pipeline = await pipelineClient(t);
});
afterAll(async () => t?.close());

const NUL = 'a\u0000b';
const LONE_HIGH = 'x\ud800';
const LONE_LOW = '\udc00y';

function expectRefused(response: LightMyRequestResponse, field: string, reason: RegExp) {
  const answer = `${response.statusCode} ${response.body}`;
  expect(response.statusCode, answer).toBe(400);
  expect(response.json(), answer).toMatchObject({ statusCode: 400, field });
  expect(response.json().message, answer).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}: `));
  expect(response.json().message, answer).toMatch(reason);
}

describe('text PostgreSQL cannot store', () => {
  const cases: [string, () => Promise<LightMyRequestResponse>, string][] = [
    ['a release version', () => owner.post('/api/releases', { service: 'checkout', version: `1.0${NUL}`, playbookId }), 'body.version'],
    ['release notes', () => owner.post('/api/releases', { service: 'checkout', version: '1.0.1', playbookId, notes: NUL }), 'body.notes'],
    [
      'an action reason',
      () => owner.post(`/api/releases/${releaseId}/actions/pause`, { expectedRevision: revision, reason: NUL }),
      'body.reason',
    ],
    ['a user name', () => admin.post('/api/users', { email: 'nul@rampart.test', name: NUL, password: 'longenough', role: 'viewer' }), 'body.name'],
    ['a token name', () => admin.post('/api/tokens', { name: NUL, scopes: ['releases:read'] }), 'body.name'],
    ['a playbook name', () => admin.post('/api/playbooks', { key: 'nul-flow', name: NUL, spec: TEST_PLAYBOOK_SPEC }), 'body.name'],
    [
      'a stage name deep in a playbook spec',
      () =>
        admin.post('/api/playbooks', {
          key: 'deep-flow',
          name: 'Deep',
          spec: { ...TEST_PLAYBOOK_SPEC, stages: [{ ...TEST_PLAYBOOK_SPEC.stages[0]!, name: LONE_HIGH }, ...TEST_PLAYBOOK_SPEC.stages.slice(1)] },
        }),
      'body.spec.stages.0.name',
    ],
    [
      'a webhook secret',
      () => admin.post('/api/webhooks', { url: 'http://127.0.0.1:9/x', secret: `matrix-secret-0123456789${NUL}`, events: ['*'] }),
      'body.secret',
    ],
    [
      'a metrics-source label value',
      () =>
        owner.put(`/api/releases/${releaseId}/metrics-source`, {
          url: 'http://127.0.0.1:9/',
          labels: { namespace: LONE_LOW },
          queries: [{ metric: 'requests', cohort: 'canary', query: 'sum(x{namespace="{{namespace}}"})' }],
        }),
      'body.labels.namespace',
    ],
    [
      'a metrics-source label key',
      () =>
        owner.put(`/api/releases/${releaseId}/metrics-source`, {
          url: 'http://127.0.0.1:9/',
          labels: { [`name${NUL}`]: 'shop' },
          queries: [{ metric: 'requests', cohort: 'canary', query: 'sum(x)' }],
        }),
      'body.labels',
    ],
    ['a query string', () => owner.get(`/api/releases?service=check%00out`), 'querystring.service'],
    ['a path parameter', () => owner.get(`/api/releases/${releaseId.slice(0, 35)}%00`), 'params.id'],
    ['a login email', () => t.anonymous.post('/api/auth/login', { email: `a${NUL}@rampart.test`, password: 'whatever' }), 'body.email'],
  ];

  it.each(cases)('refuses %s with a 400 naming the field', async (_name, request, field) => {
    const reason = /NUL character|unpaired UTF-16 surrogate/;
    expectRefused(await request(), field, reason);
  });

  it('still takes paired surrogates (emoji) and stores them', async () => {
    const response = await owner.post('/api/releases', { service: 'checkout', version: '1.0.2', playbookId, notes: 'Ship it \ud83d\ude80' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().notes).toBe('Ship it 🚀');
  });
});

describe('unique-constraint races', () => {
  async function race(request: (i: number) => Promise<LightMyRequestResponse>) {
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => request(i)));
    const statuses = responses.map((r) => r.statusCode).sort();
    return { responses, statuses };
  }

  it('answers ten concurrent creates of one user email with one 201 and nine 409s naming the email', async () => {
    const { responses, statuses } = await race((i) =>
      admin.post('/api/users', { email: 'racer@rampart.test', name: `Racer ${i}`, password: 'longenough', role: 'viewer' }),
    );
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    for (const response of responses.filter((r) => r.statusCode === 409)) {
      expect(response.json()).toMatchObject({ error: 'conflict', field: 'body.email' });
      expect(response.json().message).toMatch(/user with the email racer@rampart\.test exists already/);
    }
    expect(await t.db.user.count({ where: { email: 'racer@rampart.test' } })).toBe(1);
  });

  it('answers ten concurrent creates of one playbook key with one 201 and nine 409s naming the key', async () => {
    const { responses, statuses } = await race((i) => admin.post('/api/playbooks', { key: 'racing-flow', name: `Racing ${i}`, spec: TEST_PLAYBOOK_SPEC }));
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    for (const response of responses.filter((r) => r.statusCode === 409)) {
      expect(response.json()).toMatchObject({ error: 'conflict', field: 'body.key' });
      expect(response.json().message).toMatch(/playbook with the key "racing-flow" exists already/);
    }
  });
});

describe('a unique-constraint violation no service expected', () => {
  it('is read from the real Prisma error and becomes a 409 naming the table and the column', async () => {
    const data = { email: 'twice@rampart.test', name: 'Twice', passwordHash: 'x', role: 'viewer' as const };
    await t.db.user.create({ data });
    const error = await t.db.user.create({ data }).then(
      () => null,
      (e: unknown) => e,
    );
    const violation = uniqueViolationOf(error);
    expect(violation).toEqual({ fields: ['email'], table: 'User' });
    expect(uniqueConflict(violation!)).toMatchObject({ kind: 'conflict', message: 'A user with this email exists already' });
    expect(uniqueViolationOf(new Error('anything else'))).toBeNull();
  });
});

describe('the metrics answer', () => {
  const T0 = Date.parse('2026-03-02T09:00:00Z');
  const point = (ts: number, value: number, metric = 'latency_p95_ms') => ({ ts, cohort: 'canary', metric, value });

  it('counts only new points as stored, and says how many were duplicates', async () => {
    const release = (await createTestRelease(t, playbookId, 'ingest-count')).id;
    const push = (points: unknown[]) => pipeline.post(`/api/releases/${release}/metrics`, { points });

    expect((await push([point(T0, 100), point(T0 + 10_000, 110)])).json()).toEqual({ accepted: 2, stored: 2, duplicates: 0 });
    // One point resent, one repeated within the batch, one new.
    const mixed = await push([point(T0, 100), point(T0 + 20_000, 120), point(T0 + 20_000, 120)]);
    expect(mixed.json()).toEqual({ accepted: 3, stored: 1, duplicates: 2 });
    // The same instant written as ISO text and as epoch milliseconds is one point.
    const iso = await push([{ ...point(0, 130), ts: new Date(T0 + 30_000).toISOString() }, point(T0 + 30_000, 130)]);
    expect(iso.json()).toEqual({ accepted: 2, stored: 1, duplicates: 1 });
    // Histograms count the same way.
    const histogram = { ts: T0, cohort: 'canary', metric: 'latency_ms', buckets: [{ le: 10, count: 1 }, { le: '+Inf', count: 2 }] };
    expect((await push([histogram, histogram])).json()).toEqual({ accepted: 2, stored: 1, duplicates: 1 });
    expect((await push([histogram])).json()).toEqual({ accepted: 1, stored: 0, duplicates: 1 });

    expect(await t.db.metricPoint.count({ where: { releaseId: release } })).toBe(4);
  });
});
