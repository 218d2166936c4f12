import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('has defaults that run on the embedded database in demo mode', () => {
    const config = loadConfig({}, '/srv/rampart');
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: null,
      dataDir: path.resolve('/srv/rampart/.data'),
      demo: true,
      admin: null,
      publicUrl: 'http://localhost:8080',
      secureCookies: false,
    });
  });

  it('turns demo mode off with a database server unless asked for', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/rampart' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/rampart', RAMPART_DEMO: '1' }).demo).toBe(true);
    expect(loadConfig({ RAMPART_DEMO: 'false' }).demo).toBe(false);
  });

  it('names every bad value at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', RAMPART_DEMO: 'maybe', RAMPART_PUBLIC_URL: 'not a url' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: must be a number$/m);
    expect(problems).toMatch(/^DATABASE_URL: must be a postgresql:\/\/ connection string$/m);
    expect(problems).toMatch(/^RAMPART_DEMO: must be 1 or 0/m);
    expect(problems).toMatch(/^RAMPART_PUBLIC_URL: must be a URL/m);
  });

  it('wants the first admin email and password together', () => {
    expect(() => loadConfig({ RAMPART_ADMIN_EMAIL: 'admin@example.com' })).toThrow(/give both or neither/);
    expect(loadConfig({ RAMPART_ADMIN_EMAIL: 'admin@example.com', RAMPART_ADMIN_PASSWORD: 'longenough' }).admin).toEqual({
      email: 'admin@example.com',
      password: 'longenough',
    });
  });

  it('rejects a port out of range and a fractional one', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '80.5' })).toThrow(/PORT: must be a whole number/);
  });
});
