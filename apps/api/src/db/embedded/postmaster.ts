// Runs the PostgreSQL server of a data directory as a child process that cannot outlive Rampart.
// The server is started by a small sh watchdog that holds the read end of a pipe from this process:
// when Node exits for any reason, SIGKILL included, the kernel closes the pipe, the watchdog reads
// end-of-file and asks the server for a fast shutdown. stop() closes the pipe the same way. The
// watchdog runs in a session of its own, so a Ctrl-C in the terminal reaches Node (which shuts down
// gracefully, closing the database last) and not the server. A server left running by a watchdog
// that was itself killed is found through postmaster.pid at the next start, and stopped.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { TServerUser } from './server-user.js';

export interface TPostmasterOptions {
  postgres: string;
  pgdata: string;
  user: TServerUser | null;
  /** Server settings, passed as -c name=value. */
  settings: Record<string, string>;
  /** A folder to remove once the server has stopped, even if Node died first (scratch databases). */
  removeAfterStop: string | null;
}

export interface TPostmaster {
  port: number;
  /** The server's own process (the postmaster), for measurements. */
  pid: number;
  stop(): Promise<void>;
}

const WATCHDOG = `
exec 3<&0
"$@" </dev/null &
pg=$!
{ read -r _ <&3; kill -INT "$pg" 2>/dev/null; } &
watch=$!
exec 3<&- 0</dev/null
wait "$pg"
code=$?
kill "$watch" 2>/dev/null
if [ -n "$RAMPART_REMOVE_AFTER_STOP" ]; then rm -rf "$RAMPART_REMOVE_AFTER_STOP"; fi
exit "$code"
`;

const START_ATTEMPTS = 3;
/** Crash recovery after an unclean stop replays WAL before the server is ready: allow it time. */
const READY_TIMEOUT_MS = 120_000;
const FAST_STOP_MS = 15_000;
const LOG_LINES_KEPT = 30;

export async function startPostmaster(options: TPostmasterOptions): Promise<TPostmaster> {
  await clearLeftovers(options.pgdata, options.postgres);
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    try {
      return await launch(options, port);
    } catch (error) {
      // Another process took the port between our probe and the server's bind: try another one.
      if (!(error instanceof PortTaken) || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

class PortTaken extends Error {}

type TChild = ChildProcessByStdio<Writable, null, Readable>;

async function launch(options: TPostmasterOptions, port: number): Promise<TPostmaster> {
  const args = ['-D', options.pgdata, '-p', String(port)];
  for (const [name, value] of Object.entries(options.settings)) args.push('-c', `${name}=${value}`);
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    LC_ALL: 'C',
    TZ: 'UTC',
    RAMPART_REMOVE_AFTER_STOP: options.removeAfterStop ?? '',
  };
  const child: TChild = spawn('/bin/sh', ['-c', WATCHDOG, 'rampart-postgres', options.postgres, ...args], {
    ...(options.user ?? {}),
    env,
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const log: string[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim()) log.push(line.trim());
    log.splice(0, Math.max(0, log.length - LOG_LINES_KEPT));
  });
  child.stdin.on('error', () => undefined);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let spawnError: Error | null = null;
  const exited = new Promise<void>((done) => {
    child.on('error', (error) => {
      spawnError = error;
      done();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      done();
    });
  });

  const pid = await waitUntilReady(options.pgdata, port, () => exit !== null || spawnError !== null);
  if (pid === null) {
    if (exit === null && spawnError === null) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`The embedded PostgreSQL in ${options.pgdata} was not ready after ${READY_TIMEOUT_MS / 1000} s: ${log.slice(-5).join(' / ')}`);
    }
    await exited;
    if (log.some((line) => /could not bind|address already in use/i.test(line))) throw new PortTaken();
    const reason = spawnError ? (spawnError as Error).message : log.slice(-5).join(' / ');
    throw new Error(`The embedded PostgreSQL in ${options.pgdata} did not start: ${reason}`);
  }

  let stopping: Promise<void> | undefined;
  void exited.then(() => {
    if (!stopping) process.stderr.write(`embedded PostgreSQL stopped unexpectedly (${describeExit(exit)}): ${log.slice(-5).join(' / ')}\n`);
  });
  // Neither the server nor its pipes keep Node running: if Node ends without stop(), the watchdog stops the server.
  child.unref();
  (child.stdin as unknown as Socket).unref();
  (child.stderr as unknown as Socket).unref();

  const stopNow = async () => {
    if (exit === null) {
      child.stdin.end();
      if (!(await within(exited, FAST_STOP_MS))) {
        signalGroup(child, 'SIGQUIT');
        if (!(await within(exited, 5000))) signalGroup(child, 'SIGKILL');
        await exited;
      }
    }
    if (options.removeAfterStop) await rm(options.removeAfterStop, { recursive: true, force: true });
  };
  return { port, pid, stop: () => (stopping ??= stopNow()) };
}

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null } | null): string {
  if (!exit) return 'no exit status';
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

function signalGroup(child: TChild, signal: NodeJS.Signals): void {
  try {
    // The watchdog leads its own process group, which holds the server and its workers.
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((done) => (timer = setTimeout(() => done(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface TPidFile {
  pid: number;
  port: number;
  status: string;
}

/** postmaster.pid: PID, data directory, start time, port, socket directory, listen address, shared memory key, status. */
function readPidFile(pgdata: string): TPidFile | null {
  try {
    const lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number.parseInt(lines[0] ?? '', 10);
    if (!Number.isInteger(pid) || pid <= 0) return null;
    return { pid, port: Number.parseInt(lines[3] ?? '', 10), status: (lines[7] ?? '').trim() };
  } catch {
    return null;
  }
}

/** The postmaster's PID once it accepts connections on `port`; null if the child ended or time ran out. */
async function waitUntilReady(pgdata: string, port: number, ended: () => boolean): Promise<number | null> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (ended()) return null;
    const file = readPidFile(pgdata);
    if (file && file.port === port && file.status === 'ready') return file.pid;
    await new Promise((done) => setTimeout(done, 20));
  }
  return null;
}

/**
 * Before a start (the folder's Rampart lock is held, so no live Rampart uses it): a server still
 * running on the folder was orphaned by a Rampart that died with its watchdog, and is stopped; a
 * postmaster.pid naming a process that is not that server is stale (its PID was reused, as PID 1
 * is in every container start), and is removed so that PostgreSQL does not refuse to start.
 */
export async function clearLeftovers(pgdata: string, postgres: string): Promise<void> {
  const file = readPidFile(pgdata);
  if (!file) return;
  if (isAlive(file.pid) && (await isServerOf(file.pid, pgdata, postgres))) {
    process.stderr.write(`embedded PostgreSQL: stopping server ${file.pid} left running on ${pgdata} by an earlier Rampart\n`);
    for (const [signal, waitMs] of [['SIGINT', FAST_STOP_MS], ['SIGQUIT', 5000], ['SIGKILL', 5000]] as const) {
      try {
        process.kill(file.pid, signal);
      } catch {
        break;
      }
      if (await gone(file.pid, waitMs)) break;
    }
  }
  if (!isAlive(file.pid) || !(await isServerOf(file.pid, pgdata, postgres))) {
    await rm(join(pgdata, 'postmaster.pid'), { force: true });
  }
}

async function gone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((done) => setTimeout(done, 50));
  }
  return !isAlive(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process runs the postgres binary on this data directory (Linux: /proc; elsewhere: ps). */
async function isServerOf(pid: number, pgdata: string, postgres: string): Promise<boolean> {
  const args = await commandLine(pid);
  if (!args) return false;
  const dataAt = args.indexOf('-D');
  return args[0] === postgres && dataAt !== -1 && resolve(args[dataAt + 1] ?? '') === resolve(pgdata);
}

async function commandLine(pid: number): Promise<string[] | null> {
  const proc = `/proc/${pid}/cmdline`;
  if (existsSync('/proc/self/cmdline')) {
    const text = await readFile(proc, 'utf8').catch(() => '');
    return text ? text.split('\0').filter((part) => part !== '') : null;
  }
  return new Promise((done) => {
    const ps = spawn('ps', ['-o', 'command=', '-p', String(pid)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    ps.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    ps.on('error', () => done(null));
    ps.on('close', () => done(out.trim() ? out.trim().split(/\s+/) : null));
  });
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
