// There is no Docker engine here, so docker-compose.yml and the Dockerfile are checked as files: the
// services, ports, volume, profile and health checks, and the environment against what Rampart reads.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

const root = (p: string) => fileURLToPath(new URL(`../../../../${p}`, import.meta.url));

interface TService {
  image?: string;
  build?: unknown;
  profiles?: string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string; interval?: string; retries?: number };
  command?: string[];
  configs?: { source: string; target: string }[];
}
interface TCompose {
  services: Record<string, TService>;
  volumes?: Record<string, unknown>;
  configs?: Record<string, { content?: string; file?: string }>;
}

/** Compose's variable interpolation: ${VAR}, ${VAR:-default}, ${VAR-default} and $$. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:?-)([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, fallback: string | undefined) => {
    if (whole === '$$') return '$';
    const set = env[name!];
    if (op === ':-') return set ? set : (fallback ?? '');
    if (op === '-') return set !== undefined ? set : (fallback ?? '');
    return set ?? '';
  });
}

function environmentOf(service: TService, env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v ?? ''), env)]));
}

/** The variables config.ts's schema reads (the keys of ZEnvironment). */
async function variablesRampartReads(): Promise<Set<string>> {
  const source = await readFile(root('apps/api/src/config.ts'), 'utf8');
  const block = source.slice(source.indexOf('const ZEnvironment = z.object({'), source.indexOf('\n});', source.indexOf('const ZEnvironment')));
  return new Set([...block.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!));
}

let compose: TCompose;
let dockerfile: string;
let known: Set<string>;

beforeAll(async () => {
  compose = parse(await readFile(root('docker-compose.yml'), 'utf8')) as TCompose;
  dockerfile = await readFile(root('Dockerfile'), 'utf8');
  known = await variablesRampartReads();
});

const healthTest = (s: TService) => (Array.isArray(s.healthcheck?.test) ? s.healthcheck.test.join(' ') : (s.healthcheck?.test ?? ''));
const containerPort = (mapping: string) => Number(mapping.split(':').at(-1));

describe('docker-compose.yml', () => {
  it('runs PostgreSQL and Rampart by default, Prometheus only under its profile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'prometheus', 'rampart']);
    expect(compose.services['postgres']!.profiles).toBeUndefined();
    expect(compose.services['rampart']!.profiles).toBeUndefined();
    expect(compose.services['prometheus']!.profiles).toEqual(['prometheus']);
    expect(compose.services['rampart']!.build).toBe('.');
    expect(compose.services['postgres']!.image).toMatch(/^postgres:\d+/);
  });

  it('keeps the database in a named volume', () => {
    expect(compose.volumes).toHaveProperty('postgres-data');
    expect(compose.services['postgres']!.volumes).toContain('postgres-data:/var/lib/postgresql/data');
  });

  it('gives every service a health check, and starts Rampart once PostgreSQL is healthy', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(healthTest(service), name).not.toBe('');
    }
    expect(healthTest(compose.services['postgres']!)).toContain('pg_isready -U rampart -d rampart');
    expect(healthTest(compose.services['rampart']!)).toContain('http://127.0.0.1:8080/health');
    expect(healthTest(compose.services['prometheus']!)).toContain('/-/ready');
    expect(compose.services['rampart']!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it("passes Rampart only variables it reads, and a DATABASE_URL that matches the postgres service's credentials", () => {
    const rampartEnv = environmentOf(compose.services['rampart']!, {});
    for (const name of Object.keys(rampartEnv)) expect(known, `${name} is not read by apps/api/src/config.ts`).toContain(name);

    const pg = environmentOf(compose.services['postgres']!, {});
    const url = new URL(rampartEnv['DATABASE_URL']!);
    expect(url.protocol).toBe('postgresql:');
    expect(url.hostname).toBe('postgres');
    expect(url.port).toBe('5432');
    expect(decodeURIComponent(url.username)).toBe(pg['POSTGRES_USER']);
    expect(decodeURIComponent(url.password)).toBe(pg['POSTGRES_PASSWORD']);
    expect(url.pathname).toBe(`/${pg['POSTGRES_DB']}`);

    // A password given in .env reaches both services alike.
    const custom = { POSTGRES_PASSWORD: 's3cret-pass' };
    expect(new URL(environmentOf(compose.services['rampart']!, custom)['DATABASE_URL']!).password).toBe(environmentOf(compose.services['postgres']!, custom)['POSTGRES_PASSWORD']);
  });

  it('is a configuration Rampart accepts, with and without the first admin', () => {
    const config = loadConfig(environmentOf(compose.services['rampart']!, {}), '/app');
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', demo: false, admin: null, publicUrl: 'http://localhost:8080' });
    expect(config.databaseUrl).toContain('@postgres:5432/rampart');

    const withAdmin = loadConfig(environmentOf(compose.services['rampart']!, { RAMPART_ADMIN_EMAIL: 'ops@example.com', RAMPART_ADMIN_PASSWORD: 'correct-horse', RAMPART_DEMO: '1' }), '/app');
    expect(withAdmin.admin).toEqual({ email: 'ops@example.com', password: 'correct-horse' });
    expect(withAdmin.demo).toBe(true);
  });

  it("publishes Rampart's port and Prometheus' port", () => {
    const rampart = compose.services['rampart']!;
    const port = Number(environmentOf(rampart, {})['PORT']);
    expect(rampart.ports?.map((p) => interpolate(p, {}))).toEqual([`8080:${port}`]);
    expect(compose.services['prometheus']!.ports?.map((p) => containerPort(interpolate(p, {})))).toEqual([9090]);
    expect(compose.services['prometheus']!.command).toContain('--web.listen-address=0.0.0.0:9090');
  });

  it("ships Prometheus a config that scrapes Rampart's /metrics", () => {
    const mount = compose.services['prometheus']!.configs?.[0];
    expect(mount?.target).toBe('/etc/prometheus/prometheus.yml');
    const config = parse(compose.configs?.[mount!.source]?.content ?? '') as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    const rampartJob = config.scrape_configs.find((j) => j.job_name === 'rampart');
    expect(rampartJob?.static_configs[0]?.targets).toEqual(['rampart:8080']);
  });
});

describe('Dockerfile', () => {
  it('runs the built server on the port compose publishes, and checks /health', async () => {
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd!)).toEqual(['node', 'apps/api/dist/server.js']);
    // The API build writes exactly that file.
    expect(await readFile(root('apps/api/scripts/build.mjs'), 'utf8')).toContain("outfile: here('../dist/server.js')");
    expect(dockerfile).toMatch(/RUN pnpm build/);
    expect(/^EXPOSE (\d+)$/m.exec(dockerfile)?.[1]).toBe('8080');
    expect(dockerfile).toMatch(/PORT=8080/);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/health/);
    expect(await readFile(root('apps/api/src/routes/health.ts'), 'utf8')).toContain("'/health'");
    const exposed = Number(/^EXPOSE (\d+)$/m.exec(dockerfile)?.[1]);
    expect(compose.services['rampart']!.ports?.map((p) => containerPort(interpolate(p, {})))).toEqual([exposed]);
  });

  it('applies migrations on start: the server opens the database through the migration runner', async () => {
    const server = await readFile(root('apps/api/src/server.ts'), 'utf8');
    const open = await readFile(root('apps/api/src/db/open-database.ts'), 'utf8');
    expect(server).toContain('openDatabase(config)');
    expect(open).toMatch(/applyMigrations/);
    // The migrations are in the image: .dockerignore keeps prisma/.
    const ignored = (await readFile(root('.dockerignore'), 'utf8')).split('\n').map((l) => l.trim());
    expect(ignored).not.toContain('prisma');
    expect(ignored).toContain('.env');
  });
});
