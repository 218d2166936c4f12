// Start-up and memory on the embedded PostgreSQL, with references taken in the same run (a busy
// machine moves absolute figures; ratios hold):
// - the embedded database alone: first start on a new folder (initdb + start), restart, stop;
// - the production server (apps/api/dist/server.js, as `pnpm start` runs it) on a new data folder:
//   first start and restart until it listens, its Node process's RSS at idle, PostgreSQL's own memory;
// - a Fastify hello-world in a Node process of its own: ready time and RSS at idle.
// Run: pnpm --filter @rampart/api run build && pnpm --filter @rampart/api exec tsx bench/embedded-start.ts
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const API_DIR = fileURLToPath(new URL('..', import.meta.url));
/** How long a process is left alone before its memory is read. */
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 5000);

const HELLO_WORLD = `
import Fastify from 'fastify';
const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('Server listening');
`;

function line(name: string, value: string) {
  console.log(`${name}: ${value}`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** kB from /proc/<pid>/status (VmRSS) or smaps_rollup (Pss); 0 once the process is gone. */
function memory(pid: number, field: 'VmRSS' | 'Pss'): number {
  const file = field === 'Pss' ? `/proc/${pid}/smaps_rollup` : `/proc/${pid}/status`;
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(file, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The postmaster and every process it started (backends, checkpointer, walwriter ...). */
function serverProcesses(postmaster: number): number[] {
  const found = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function postgresMemory(postmaster: number): string {
  const pids = serverProcesses(postmaster);
  const pss = pids.reduce((sum, pid) => sum + memory(pid, 'Pss'), 0);
  return `postmaster RSS ${megabytes(memory(postmaster, 'VmRSS'))}, all ${pids.length} processes PSS ${megabytes(pss)} (shared memory counted once)`;
}

interface TStarted {
  child: ChildProcess;
  ms: number;
}

/** Spawns a Node process and waits for its "Server listening" line. */
function startNode(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<TStarted> {
  const began = performance.now();
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Server listening/.test(output)) {
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        resolve({ child, ms: performance.now() - began });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output.slice(-2000)}`)));
  });
}

function stopNode(child: ChildProcess): Promise<number> {
  const began = performance.now();
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null) return resolve(0);
    child.once('exit', () => resolve(performance.now() - began));
    child.kill('SIGTERM');
  });
}

const idle = () => new Promise((resolve) => setTimeout(resolve, IDLE_MS));

function postmasterOf(dataDir: string): number {
  return Number.parseInt(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
}

async function embeddedAlone(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rampart-bench-db-'));
  try {
    let began = performance.now();
    const first = await startEmbeddedPostgres({ dataDir });
    line('embedded_db_first_start', `${seconds(performance.now() - began)} (initdb and start on a new folder)`);
    began = performance.now();
    await first.stop();
    line('embedded_db_stop', seconds(performance.now() - began));
    began = performance.now();
    const second = await startEmbeddedPostgres({ dataDir });
    line('embedded_db_restart', seconds(performance.now() - began));
    await second.stop();
    began = performance.now();
    const scratch = await startEmbeddedPostgres({ dataDir: null });
    line('embedded_db_scratch_start', `${seconds(performance.now() - began)} (temporary folder, no fsync)`);
    await scratch.stop();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function helloWorld(): Promise<{ ms: number; rssKb: number }> {
  const started = await startNode(['--input-type=module', '-e', HELLO_WORLD], { PATH: process.env.PATH }, API_DIR);
  await idle();
  const rssKb = memory(started.child.pid!, 'VmRSS');
  await stopNode(started.child);
  return { ms: started.ms, rssKb };
}

async function rampartServer(hello: { ms: number; rssKb: number }): Promise<void> {
  if (!existsSync(SERVER)) {
    line('server', 'n/a (no apps/api/dist/server.js: run pnpm --filter @rampart/api run build first)');
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'rampart-bench-start-'));
  const env = {
    PATH: process.env.PATH,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    RAMPART_DATA_DIR: dataDir,
    // Idle: demo users, but no simulated traffic.
    RAMPART_SIMULATOR: '0',
  };
  try {
    const first = await startNode([SERVER], env, API_DIR);
    line('server_first_start', `${seconds(first.ms)} (new data folder: initdb, migrations, seeds) vs hello-world ${seconds(hello.ms)}: ${(first.ms / hello.ms).toFixed(1)}×`);
    const firstStop = await stopNode(first.child);
    line('server_stop', seconds(firstStop));
    const second = await startNode([SERVER], env, API_DIR);
    line('server_restart', `${seconds(second.ms)} vs hello-world ${seconds(hello.ms)}: ${(second.ms / hello.ms).toFixed(1)}×`);
    await idle();
    const rssKb = memory(second.child.pid!, 'VmRSS');
    line('server_rss_idle', `${megabytes(rssKb)} (Node process) vs hello-world ${megabytes(hello.rssKb)}: ${(rssKb / hello.rssKb).toFixed(1)}×`);
    const postmaster = postmasterOf(dataDir);
    line('postgres_memory_idle', postgresMemory(postmaster));
    await stopNode(second.child);
    line('postgres_after_sigterm', existsSync(`/proc/${postmaster}`) ? `still running (PID ${postmaster})` : 'stopped');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const hello = await helloWorld();
line('hello_world', `ready in ${seconds(hello.ms)}, RSS ${megabytes(hello.rssKb)} at idle`);
await embeddedAlone();
await rampartServer(hello);
