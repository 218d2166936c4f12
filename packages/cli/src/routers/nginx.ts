// nginx: the canary percent becomes an include file of two weighted `server` lines (nginx weights are
// ≥ 1, so a side with no share is marked `down`), written atomically, checked with `nginx -t` (the old
// file is put back if the check fails) and loaded by SIGHUP to the master named in the pid file.
// "The reload took" is: the master started new worker processes after the SIGHUP (it does so only after
// it has parsed the new configuration; on any error it keeps the old workers and logs why), and the old
// workers have left, so no connection is accepted under the old weights. Workers are found through
// /proc, so this router is for Linux.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TTrafficRouter } from './router.js';
import { firstLine, pause, splitWeights, throwIfAborted } from './router.js';

export interface TNginxOptions {
  /** The file the operator's `upstream { include …; }` block includes; the agent owns its content. */
  upstreamFile: string;
  /** Server addresses as nginx takes them: host:port or unix:/path. */
  stable: string;
  canary: string;
  /** nginx's main configuration (-c); the binary's default when absent. */
  config?: string;
  /** nginx's prefix (-p); the binary's default when absent. */
  prefix?: string;
  /** The master's pid file (default /run/nginx.pid). */
  pidFile?: string;
  /** The nginx binary (default `nginx` on PATH). */
  binary?: string;
  /** How long to wait for new workers after the SIGHUP, ms (default 10000). */
  reloadTimeoutMs?: number;
}

// Nothing that could end the directive or open a block.
const ADDRESS = /^(unix:\/[^\s;{}'"]+|\[[0-9a-fA-F:]+\]:\d{1,5}|[A-Za-z0-9.-]+:\d{1,5})$/;

export function renderUpstream(percent: number, stable: string, canary: string): string {
  const w = splitWeights(percent);
  const line = (address: string, weight: number) => `server ${address}${weight === 0 ? ' down' : ` weight=${weight}`};`;
  return `# Written by rampart agent: canary ${percent}%. Do not edit; the next change overwrites it.\n${line(stable, w.stable)}\n${line(canary, w.canary)}\n`;
}

function run(binary: string, args: string[], signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { signal, timeout: 30_000 }, (error, _stdout, stderr) => {
      if (!error) resolve();
      else reject(new Error(`${binary} ${args.join(' ')} failed: ${firstLine(String(stderr)) || error.message}`));
    });
  });
}

/**
 * The pids whose parent is `parent`, from /proc: the kernel's children list of the master's main
 * thread, else a scan of every process's stat. Read synchronously on purpose: procfs reads never wait
 * on a disk, and async ones queue behind other file work in libuv's small thread pool, which on a busy
 * agent delayed the proof of a reload by most of a second.
 */
export function childPids(parent: number): Set<number> {
  try {
    const listed = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8');
    return new Set(listed.split(' ').filter(Boolean).map(Number));
  } catch {
    // A kernel without CONFIG_PROC_CHILDREN.
  }
  const children = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent) children.add(Number(entry));
  }
  return children;
}

export function createNginxRouter(options: TNginxOptions): TTrafficRouter {
  for (const [flag, value] of [['stable', options.stable], ['canary', options.canary]] as const) {
    if (!ADDRESS.test(value)) throw new Error(`nginx ${flag} address ${JSON.stringify(value)}: expected host:port or unix:/path`);
  }
  const binary = options.binary ?? 'nginx';
  const pidFile = options.pidFile ?? '/run/nginx.pid';
  const timeoutMs = options.reloadTimeoutMs ?? 10_000;
  const oldWorkersMs = 2000;
  // -e stderr: nginx's start-up messages come back to us, not to a system log file.
  const where = [...(options.config ? ['-c', options.config] : []), ...(options.prefix ? ['-p', options.prefix] : []), '-e', 'stderr'];

  /** Polls `test` until it holds (true) or `ms` passed (false). */
  async function within(ms: number, test: () => boolean, signal: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!test()) {
      if (Date.now() > deadline) return false;
      await pause(10, signal);
    }
    return true;
  }

  return {
    name: `nginx upstream file ${options.upstreamFile}`,
    async apply(percent, signal) {
      throwIfAborted(signal);
      const previous = await readFile(options.upstreamFile, 'utf8').catch(() => null);
      const staged = path.join(path.dirname(options.upstreamFile), `.${path.basename(options.upstreamFile)}.rampart-${process.pid}`);
      await writeFile(staged, renderUpstream(percent, options.stable, options.canary));
      await rename(staged, options.upstreamFile);
      try {
        await run(binary, ['-t', '-q', ...where], signal);
      } catch (error) {
        // A configuration nginx refuses must not wait in place for the next reload, whoever triggers it.
        if (previous === null) await rm(options.upstreamFile, { force: true });
        else await writeFile(options.upstreamFile, previous);
        throw error;
      }
      throwIfAborted(signal);
      const master = Number((await readFile(pidFile, 'utf8')).trim());
      if (!Number.isInteger(master) || master < 1) throw new Error(`nginx pid file ${pidFile} holds no pid`);
      const before = childPids(master);
      process.kill(master, 'SIGHUP');
      const started = await within(timeoutMs, () => [...childPids(master)].some((pid) => !before.has(pid)), signal);
      if (!started) throw new Error(`nginx master ${master} started no new worker within ${timeoutMs} ms of the reload (see its error log)`);
      // Old workers stop accepting at once but finish their open connections (a long download, a
      // websocket): they are waited for briefly, not required, or such a client would block every change.
      const drained = await within(oldWorkersMs, () => [...childPids(master)].every((pid) => !before.has(pid)), signal);
      return `nginx reloaded (master ${master}: new workers running, old ones ${drained ? 'gone' : 'finishing their open connections'})`;
    },
  };
}
