// The served OpenAPI document is one tools can use: every operation named once, its error answers
// declared with the shared error schema, real descriptions, no trailing slashes, and examples that
// the server itself accepts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_EXAMPLES } from '../../src/plugins/openapi-examples.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

interface TMedia {
  schema?: { $ref?: string };
  example?: unknown;
}
interface TOperation {
  operationId?: string;
  summary?: string;
  requestBody?: { content: Record<string, TMedia> };
  responses: Record<string, { description: string; content?: Record<string, TMedia> }>;
}
interface TDocument {
  servers?: { url: string }[];
  paths: Record<string, Record<string, TOperation>>;
  components: { schemas: Record<string, unknown> };
}

const PLAYBOOK = 'vercel-staging-canary';

let t: TTestApp;
let doc: TDocument;
let operations: { method: string; path: string; operation: TOperation }[];

beforeAll(async () => {
  t = await startTestApp();
  doc = (await t.anonymous.get('/api/openapi.json')).json();
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}, 60_000);
afterAll(async () => t.close());

describe('the served OpenAPI document', () => {
  it('names a server and no path ends with a slash', () => {
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(Object.keys(doc.paths).filter((path) => path !== '/' && path.endsWith('/'))).toEqual([]);
  });

  it('gives every operation a unique camelCase operationId and a summary', () => {
    expect(operations.length).toBeGreaterThan(30);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(operations.filter(({ operation }) => !operation.operationId || !operation.summary).map(({ method, path }) => `${method} ${path}`)).toEqual([]);
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]*$/.test(id ?? ''))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('declares at least one 4xx on every operation, each with the shared error schema or the release conflict', () => {
    const withoutClientError = operations.filter(({ operation }) => !Object.keys(operation.responses).some((status) => /^4\d\d$/.test(status)));
    expect(withoutClientError.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
    const errorSchemas = new Set(
      operations.flatMap(({ operation }) =>
        Object.entries(operation.responses)
          .filter(([status]) => status.startsWith('4'))
          .map(([, answer]) => answer.content?.['application/json']?.schema?.$ref),
      ),
    );
    expect([...errorSchemas].sort()).toEqual(['#/components/schemas/ApiError', '#/components/schemas/ReleaseConflict']);
    expect(doc.components.schemas['ApiError']).toBeDefined();
  });

  it('describes every answer in words, never "Default Response"', () => {
    const answers = operations.flatMap(({ operation }) => Object.values(operation.responses));
    expect(answers.filter((answer) => !answer.description || answer.description === 'Default Response')).toEqual([]);
  });

  it('carries an example for the main request bodies', () => {
    const withExample = operations.filter(({ operation }) => operation.requestBody?.content['application/json']?.example !== undefined);
    expect(withExample.map(({ operation }) => operation.operationId).sort()).toEqual(Object.keys(REQUEST_EXAMPLES).sort());
  });

  it('keeps no component that no operation reaches', () => {
    const text = JSON.stringify(doc.paths) + JSON.stringify(doc.components.schemas);
    const unused = Object.keys(doc.components.schemas).filter((name) => !text.includes(`"#/components/schemas/${name}"`));
    expect(unused).toEqual([]);
  });
});

describe('the documented examples', () => {
  it('pass the server’s own validation (no 400) when sent as they are', async () => {
    const admin = await t.as('admin');
    const refused: string[] = [];
    for (const { method, path, operation } of operations) {
      const example = operation.requestBody?.content['application/json']?.example;
      if (example === undefined) continue;
      // Unknown ids: the answer may be 404 or 401, but validation comes first and must let the body through.
      const url = path.replace('{action}', 'ramp').replace(/\{\w+\}/g, () => randomUUID());
      const client = operation.operationId === 'logIn' ? t.anonymous : admin;
      const send = { POST: client.post, PUT: client.put, PATCH: client.patch }[method as 'POST' | 'PUT' | 'PATCH'];
      // The example's playbook id stands for one of the reader's; here it must name a real one.
      const body = operation.operationId === 'createRelease' ? { ...(example as object), playbookId: await t.playbookId(PLAYBOOK) } : example;
      const response = await send(url, body as Record<string, unknown>);
      if (response.statusCode === 400 || response.statusCode >= 500) refused.push(`${operation.operationId}: ${response.statusCode} ${response.body}`);
    }
    expect(refused).toEqual([]);
  }, 60_000);
});

describe('prefix roots', () => {
  it('answer with and without the trailing slash the document no longer shows', async () => {
    const admin = await t.as('admin');
    for (const path of ['/api/releases', '/api/playbooks', '/api/users', '/api/tokens', '/api/webhooks']) {
      expect((await admin.get(path)).statusCode, path).toBe(200);
      expect((await admin.get(`${path}/`)).statusCode, `${path}/`).toBe(200);
    }
    expect((await t.anonymous.get('/api/status')).statusCode).toBe(200);
    expect((await t.anonymous.get('/api/status/')).statusCode).toBe(200);
  });
});

describe('the error answers the document promises', () => {
  it('include 415 for a body of another media type, on every operation with a body', async () => {
    const admin = await t.as('admin');
    const response = await t.app.inject({ method: 'POST', url: '/api/releases', headers: { ...admin.headers, 'content-type': 'application/xml' }, payload: '<release/>' });
    expect(response.statusCode, response.body).toBe(415);
    const withBody = operations.filter(({ operation }) => operation.requestBody);
    expect(withBody.filter(({ operation }) => !operation.responses['415'] || !operation.responses['400']).map(({ operation }) => operation.operationId)).toEqual([]);
  });

  it('include 400 for a malformed URL, even on public routes with no input', async () => {
    const response = await t.anonymous.get('/api/clock%E0%A4%A');
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, field: 'url' });
  });
});
