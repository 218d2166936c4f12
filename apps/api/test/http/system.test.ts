import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createPrisma } from '../../src/db/prisma.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

let t: TTestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('GET /health', () => {
  it('answers as seed 003 describes while the database is reachable', async () => {
    const response = await t.anonymous.get('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'healthy',
      timestamp: '2026-03-02T10:00:00.000Z',
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      checks: { database: true },
    });
  });

  it('answers 503 and unhealthy when the database is unreachable', async () => {
    const db = createPrisma('postgresql://postgres@127.0.0.1:9/unreachable');
    const app = await buildApp({ db, clock: new ManualClock(), settings: loadConfig({}) });
    try {
      const response = await app.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: 'unhealthy', checks: { database: false } });
    } finally {
      await app.close();
      await db.$disconnect();
    }
  });
});

describe('GET /api/clock', () => {
  it("tells dashboards the server's time and how fast its clock runs", async () => {
    expect((await t.anonymous.get('/api/clock')).json()).toEqual({ now: '2026-03-02T10:00:00.000Z', timeScale: 1 });
  });
});

describe('GET /metrics', () => {
  it("exposes Rampart's own metrics in Prometheus format", async () => {
    await t.anonymous.get('/health');
    const response = await (await t.as('admin')).get('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toMatch(/^rampart_http_requests_total\{method="GET",route="\/health",status="200"\} \d+$/m);
    expect(response.body).toMatch(/^rampart_releases\{state="running"\} 0$/m);
    expect(response.body).toContain('\nprocess_cpu_seconds_total');
  });
});

describe('the OpenAPI document', () => {
  it('is served at /api/openapi.json and equals the committed docs/openapi_v1.yaml (run `pnpm openapi:write` after changing a route)', async () => {
    const served = (await t.anonymous.get('/api/openapi.json')).json();
    const committed = parse(await readFile(new URL('../../../../docs/openapi_v1.yaml', import.meta.url), 'utf8'));
    expect(served).toEqual(committed);
    expect(Object.keys(served.paths)).toEqual(expect.arrayContaining(['/api/releases/{id}/actions/{action}', '/health']));
  });
});

describe('unknown routes', () => {
  it('answer 404 in the API error shape', async () => {
    const response = await t.anonymous.get('/api/nope');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, error: 'not_found' });
  });
});
