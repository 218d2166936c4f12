// The embedded database's folder lock: a lock left by a dead process, or by an earlier process that had
// our PID (node is PID 1 in every container start), is taken over; a live other holder is refused.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir, lockText, startedAt } from '../../src/db/data-dir-lock.js';
import { until } from '../support/until.js';

let dir: string;
let lockPath: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rampart-lock-'));
  lockPath = path.join(dir, 'rampart.lock');
});
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** A live process that is not this one. */
async function otherProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await until('the other process to run', () => child.pid !== undefined && startedAt(child.pid) !== null, 10_000).catch(() => undefined);
  return child.pid!;
}

describe('the embedded data folder lock', () => {
  it('takes over a lock that holds our own PID when this process did not take it (a restarted container)', async () => {
    await writeFile(lockPath, `${process.pid}\n`);
    const lock = await lockDataDir(dir);
    expect((await readFile(lockPath, 'utf8')).split('\n')[0]).toBe(String(process.pid));
    await lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over a lock with our PID and another start time', async () => {
    await writeFile(lockPath, `${process.pid}\nsome-other-boot/12345\n`);
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it('refuses a second open of the same folder in this process', async () => {
    const lock = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(/already open in this process/);
    await lock.release();
    const again = await lockDataDir(dir);
    await again.release();
  });

  it('refuses a folder a live other process holds, naming it', async () => {
    const pid = await otherProcess();
    await writeFile(lockPath, lockText(pid));
    await expect(lockDataDir(dir)).rejects.toThrow(new RegExp(`in use by process ${pid} \\(lock file .*rampart\\.lock\\)`));
    // An old-style lock file (the PID only) of a live process is refused too.
    await writeFile(lockPath, `${pid}\n`);
    await expect(lockDataDir(dir)).rejects.toThrow(`in use by process ${pid}`);
    expect(await readFile(lockPath, 'utf8')).toBe(`${pid}\n`);
  });

  it.runIf(startedAt(process.pid) !== null)('takes over a lock whose PID was reused by a process that started later', async () => {
    const pid = await otherProcess();
    const [boot] = startedAt(pid)!.split('/');
    await writeFile(lockPath, `${pid}\n${boot}/1\n`);
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it('takes over a lock left by a process that has exited', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    const pid = child.pid!;
    await new Promise((done) => child.on('exit', done));
    await writeFile(lockPath, `${pid}\n`);
    const lock = await lockDataDir(dir);
    await lock.release();
  });
});
