// One process at a time per embedded data folder. PGlite writes no postmaster.pid and happily
// opens a folder another process (or this one) already has open; two writers corrupt it.
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const LOCK_FILE = 'rampart.lock';

export interface DataDirLock {
  release(): Promise<void>;
}

/** Takes the folder's lock, or throws naming the live process that holds it. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new Error(`The embedded database in ${dataDir} is in use by process ${holder} (lock file ${path}).`);
    }
    // Left behind by a process that died: take it over.
    await unlink(path).catch(() => undefined);
  }
  throw new Error(`Could not lock ${path}: another process keeps taking it.`);
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
