// Every answer, the dashboard's pages first, carries the browser hardening headers (helmet).
// Whether the built dashboard runs under this policy is checked in the browser tests (e2e), which
// fail on any CSP violation in the console.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { TApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase } from '../support/database.js';
import type { TestDatabase } from '../support/database.js';

let database: TestDatabase;
let app: TApp;

beforeAll(async () => {
  database = await createTestDatabase();
  const webRoot = mkdtempSync(path.join(tmpdir(), 'rampart-web-'));
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/app.js"></script>');
  app = await buildApp({ db: database.prisma, clock: new ManualClock(), settings: loadConfig({ RAMPART_DEMO: '0' }), webRoot });
});
afterAll(async () => {
  await app.close();
  await database.drop();
});

function directives(csp: string): Map<string, string> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.join(' ')]));
}

describe('the dashboard page', () => {
  it("has a CSP of its own sources only, no framing, nosniff and no referrer", async () => {
    const response = await app.inject({ method: 'GET', url: '/releases/some-id', headers: { host: 'rampart.test:8080' } });
    expect(response.statusCode).toBe(200);
    const csp = directives(String(response.headers['content-security-policy']));
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('connect-src')).toBe("'self' ws://rampart.test:8080 wss://rampart.test:8080");
    // Plain http here: no upgrade of the dashboard's own requests to an https that may not exist.
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('writes no odd Host into the policy', async () => {
    const response = await app.inject({ method: 'GET', url: '/', headers: { host: "evil.test; script-src 'unsafe-inline'" } });
    const csp = directives(String(response.headers['content-security-policy']));
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
  });
});

describe('API answers', () => {
  it('carry the same headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('behind https (RAMPART_PUBLIC_URL)', () => {
  it('adds HSTS and upgrade-insecure-requests', async () => {
    const secure = await buildApp({
      db: database.prisma,
      clock: new ManualClock(),
      settings: loadConfig({ RAMPART_DEMO: '0', RAMPART_PUBLIC_URL: 'https://rampart.example.com' }),
    });
    try {
      const response = await secure.inject({ method: 'GET', url: '/health' });
      expect(response.headers['strict-transport-security']).toContain('max-age=31536000');
      expect(directives(String(response.headers['content-security-policy'])).has('upgrade-insecure-requests')).toBe(true);
    } finally {
      await secure.close();
    }
  });
});
