// One Rampart at a time per embedded data folder. PostgreSQL's own postmaster.pid guards only the
// running server, not the first start's initdb or the clean-up of a server left behind by a dead
// Rampart (embedded/postmaster.ts), and it cannot name the Rampart process that holds the folder.
//
// A PID alone does not say who holds the lock: in a container node is PID 1 on every start, so the lock
// an earlier, killed incarnation left behind names our own PID. The lock file therefore also records
// when its process started (Linux: boot id and start time from /proc), and a lock counts as held only
// while that very process lives: our own PID is ours only if this process took the lock.
import { open, readFile, unlink } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const LOCK_FILE = 'rampart.lock';

/** The folders this process holds, so a second open in the same process is refused, not taken over. */
const heldHere = new Set<string>();

export interface DataDirLock {
  release(): Promise<void>;
}

interface THolder {
  pid: number;
  /** "<boot id>/<start ticks>" where /proc tells it; null for old lock files and other systems. */
  started: string | null;
}

/** Takes the folder's lock, or throws naming the live process that holds it. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = resolve(join(dataDir, LOCK_FILE));
  if (heldHere.has(path)) {
    throw new Error(`The embedded database in ${dataDir} is already open in this process (lock file ${path}).`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(lockText(process.pid));
      await file.close();
      heldHere.add(path);
      return {
        release: async () => {
          heldHere.delete(path);
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = parseLock(await readFile(path, 'utf8').catch(() => ''));
    if (holder && holdsIt(holder)) {
      throw new Error(`The embedded database in ${dataDir} is in use by process ${holder.pid} (lock file ${path}); stop it first, or remove the lock file if that process is not Rampart.`);
    }
    // Left behind by a process that died (or by an earlier process that had our PID): take it over.
    await unlink(path).catch(() => undefined);
  }
  throw new Error(`Could not lock ${path}: another process keeps taking it.`);
}

/** The lock file's text for a process: its PID, then when it started where that can be known. */
export function lockText(pid: number): string {
  const started = startedAt(pid);
  return started ? `${pid}\n${started}\n` : `${pid}\n`;
}

function parseLock(text: string): THolder | null {
  const [pidLine, startedLine] = text.split('\n');
  const pid = Number.parseInt(pidLine ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, started: startedLine?.trim() || null };
}

function holdsIt(holder: THolder): boolean {
  // Our PID, but this process took no lock: a previous incarnation with the same PID (a container's PID 1).
  if (holder.pid === process.pid) return false;
  if (!isAlive(holder.pid)) return false;
  // A live process with that PID that started at another time is not the one that took the lock.
  if (holder.started !== null) {
    const now = startedAt(holder.pid);
    if (now !== null && now !== holder.started) return false;
  }
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "<boot id>/<start time in clock ticks since boot>" on Linux; null where /proc cannot tell. */
export function startedAt(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Field 22, starttime, is the 20th after the name (state is field 3).
    const ticks = fields[19];
    if (!ticks || !/^\d+$/.test(ticks)) return null;
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot}/${ticks}`;
  } catch {
    return null;
  }
}
