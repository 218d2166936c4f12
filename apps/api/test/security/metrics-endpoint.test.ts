// GET /metrics publishes per-route traffic, so it answers admins (a session, or a token with the admin
// scope) and a Prometheus scrape holding RAMPART_METRICS_TOKEN; nobody else. Its text passes
// `promtool check metrics`, with the process metrics under their standard names.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFor, startTestApp } from '../support/test-app.js';
import type { TTestApp } from '../support/test-app.js';

const SCRAPE_TOKEN = 'scrape-0123456789abcdef0123456789abcdef';
const promtool = spawnSync('promtool', ['--version']).status === 0;

let t: TTestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { RAMPART_METRICS_TOKEN: SCRAPE_TOKEN } });
});
afterAll(async () => t.close());

async function metricsText(): Promise<string> {
  const response = await (await t.as('admin')).get('/metrics');
  expect(response.statusCode).toBe(200);
  return response.body;
}

describe('who may read it', () => {
  it('not anonymous callers (401), nor people and tokens without admin (403)', async () => {
    expect((await t.anonymous.get('/metrics')).statusCode).toBe(401);
    expect((await (await t.as('support')).get('/metrics')).statusCode).toBe(403);
    expect((await (await t.as('owner')).get('/metrics')).statusCode).toBe(403);
    const owner = await t.as('owner');
    const reader = (await owner.post('/api/tokens', { name: 'reader', scopes: ['releases:read'] })).json().token as string;
    expect((await clientFor(t.app, { authorization: `Bearer ${reader}` }).get('/metrics')).statusCode).toBe(403);
  });

  it('admins, by session or by a token with the admin scope', async () => {
    const admin = await t.as('admin');
    expect((await admin.get('/metrics')).statusCode).toBe(200);
    const token = (await admin.post('/api/tokens', { name: 'ops', scopes: ['admin'] })).json().token as string;
    expect((await clientFor(t.app, { authorization: `Bearer ${token}` }).get('/metrics')).statusCode).toBe(200);
  });

  it('a scrape with RAMPART_METRICS_TOKEN, which opens no other route', async () => {
    const scraper = clientFor(t.app, { authorization: `Bearer ${SCRAPE_TOKEN}` });
    const response = await scraper.get('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('rampart_http_requests_total');
    expect((await scraper.get('/api/releases')).statusCode).toBe(401);
    expect((await scraper.get('/api/users')).statusCode).toBe(401);
    expect((await clientFor(t.app, { authorization: `Bearer ${SCRAPE_TOKEN}x` }).get('/metrics')).statusCode).toBe(401);
    expect((await clientFor(t.app, { authorization: `Basic ${SCRAPE_TOKEN}` }).get('/metrics')).statusCode).toBe(401);
  });
});

describe('what it says', () => {
  it('process metrics under their standard names, and no gauge ending in _total', async () => {
    await t.anonymous.get('/health');
    const text = await metricsText();
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    }
    expect(text).not.toContain('rampart_process_');
    expect(text).not.toContain('rampart_nodejs_');
    const totalGauges = [...text.matchAll(/^# TYPE (\S+_total) gauge$/gm)].map((m) => m[1]);
    expect(totalGauges).toEqual([]);
  });

  it.skipIf(!promtool)('passes `promtool check metrics`', async () => {
    await t.anonymous.get('/health');
    const text = await metricsText();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    expect(check.status).toBe(0);
  });
});
