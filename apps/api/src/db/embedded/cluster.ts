// The embedded database's folder (RAMPART_DATA_DIR):
//   rampart.lock        which Rampart process has it open (data-dir-lock.ts)
//   postgres-password   the superuser's password, made at the first start (mode 0600)
//   postgres/           the PostgreSQL data directory (PGDATA), made by initdb at the first start
// initdb writes into postgres.init/ and the folder is renamed when complete, so an interrupted
// first start is simply redone. Scratch databases (tests, benchmarks) are copies of a template made
// once per machine, which takes a fraction of initdb's time.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TPostgresBinaries } from './binaries.js';
import { handOver } from './server-user.js';
import type { TServerUser } from './server-user.js';

export const CLUSTER_DIR = 'postgres';
const INIT_DIR = 'postgres.init';
export const PASSWORD_FILE = 'postgres-password';
export const SUPERUSER = 'postgres';

export interface TCluster {
  pgdata: string;
  password: string;
  /** True when this start ran initdb. */
  created: boolean;
}

export interface TClusterOptions {
  binaries: TPostgresBinaries;
  user: TServerUser | null;
  /** false for scratch databases: initdb skips its final fsync. */
  durable: boolean;
}

/** Opens the folder's cluster, making it on the first start; throws a readable error for folders it cannot use. */
export async function prepareCluster(dataDir: string, options: TClusterOptions): Promise<TCluster> {
  const foreign = await foreignDataDir(dataDir);
  if (foreign) throw new Error(foreign);
  const pgdata = join(dataDir, CLUSTER_DIR);
  const versionFile = join(pgdata, 'PG_VERSION');
  if (existsSync(versionFile)) {
    const major = Number.parseInt(await readFile(versionFile, 'utf8'), 10);
    if (major !== options.binaries.major) {
      throw new Error(
        `The embedded database in ${pgdata} was made by PostgreSQL ${major}, and this Rampart runs PostgreSQL ${options.binaries.major}, which cannot open it. Its data is not converted automatically: export it with PostgreSQL ${major}'s pg_dump and move the folder aside, or set RAMPART_DATA_DIR to another folder.`,
      );
    }
    return { pgdata, password: await readPassword(dataDir), created: false };
  }
  await initialise(dataDir, options);
  return { pgdata, password: await readPassword(dataDir), created: true };
}

/**
 * Why the folder is not an embedded PostgreSQL folder of ours, or null. Earlier Rampart versions
 * kept PGlite's database (PostgreSQL compiled to WebAssembly, a 32-bit build that a native server
 * cannot read) directly in the folder, so a PG_VERSION at its top is theirs.
 */
export async function foreignDataDir(dataDir: string): Promise<string | null> {
  const versionFile = join(dataDir, 'PG_VERSION');
  if (!existsSync(versionFile)) return null;
  const version = (await readFile(versionFile, 'utf8').catch(() => '?')).trim();
  return (
    `${dataDir} holds a database made by an earlier version of Rampart (PGlite, PostgreSQL ${version} compiled to WebAssembly), ` +
    `which the embedded PostgreSQL cannot open. Its data is not migrated automatically. ` +
    `Move the folder aside (for example: mv ${dataDir} ${dataDir}-pglite) to start with a new, empty database here, ` +
    `or set RAMPART_DATA_DIR to another folder; the moved folder stays as it was.`
  );
}

/**
 * A new cluster in `folder` (empty, the server user's), copied from this machine's template for
 * the binaries' major version, which is made on first use. Concurrent first uses (test workers)
 * each make one, and the first to rename theirs into place wins.
 */
export async function prepareScratchCluster(folder: string, options: Omit<TClusterOptions, 'durable'>): Promise<TCluster> {
  const template = join(tmpdir(), `rampart-pg${options.binaries.major}-template-${options.user?.uid ?? process.getuid?.() ?? 'user'}`);
  if (!existsSync(join(template, CLUSTER_DIR, 'PG_VERSION'))) {
    const making = await mkdtemp(`${template}.making-`);
    try {
      await handOver(making, options.user, 0o700);
      await initialise(making, { ...options, durable: false });
      await rename(making, template).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } finally {
      await rm(making, { recursive: true, force: true });
    }
  }
  // As the server's user, so that the copies are its own.
  const copied = await runAs('cp', ['-a', `${template}/.`, `${folder}/`], options.user);
  if (copied.code !== 0) throw new Error(`Could not copy the scratch database template ${template}: ${copied.text.trim()}`);
  return { pgdata: join(folder, CLUSTER_DIR), password: await readPassword(folder), created: true };
}

async function readPassword(dataDir: string): Promise<string> {
  const file = join(dataDir, PASSWORD_FILE);
  const password = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (!password) {
    throw new Error(`The embedded database's password file ${file} is missing or empty; it was made with the database and cannot be remade. Restore it, or move ${dataDir} aside to start afresh.`);
  }
  return password;
}

async function initialise(dataDir: string, { binaries, user, durable }: TClusterOptions): Promise<void> {
  const target = join(dataDir, INIT_DIR);
  await rm(target, { recursive: true, force: true });
  await mkdir(target);
  await handOver(target, user, 0o700);
  const passwordFile = join(dataDir, PASSWORD_FILE);
  await writeFile(passwordFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  await handOver(passwordFile, user, 0o600);

  const args = [
    `--pgdata=${target}`,
    `--username=${SUPERUSER}`,
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    '--locale=C',
    '--no-instructions',
    ...(durable ? [] : ['--no-sync']),
  ];
  const output = await runAs(binaries.initdb, args, user);
  if (output.code !== 0) {
    const hint = user ? ` (PostgreSQL runs as the system user "${SUPERUSER}", which must be able to reach ${dataDir})` : '';
    throw new Error(`initdb failed in ${target}${hint}: ${output.text.trim().split('\n').slice(-5).join(' / ')}`);
  }
  await rename(target, join(dataDir, CLUSTER_DIR));
}

function runAs(command: string, args: string[], user: TServerUser | null): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(user ?? {}),
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, text }));
  });
}
