// The installable command: the package's `bin` built to one JavaScript file, run by plain Node (no tsx,
// no workspace sources) against the real API on loopback, as `npx`/`pnpm dlx` would run it.
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZRelease } from '@rampart/contracts';
import { EXIT } from '../src/exit-codes.js';
import type { TCliHarness } from './support.js';
import { startCliHarness } from './support.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string; bin: Record<string, string> };

let h: TCliHarness;
let binPath: string;

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['scripts/build.mjs'], { cwd: PACKAGE });
  binPath = fileURLToPath(new URL(manifest.bin.rampart ?? '', new URL('../', import.meta.url)));
  h = await startCliHarness('cli-bin');
}, 120_000);
afterAll(async () => h?.close());

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    // Only PATH from the test's environment: nothing of tsx or the workspace leaks in.
    const child = spawn(binPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, cwd: '/' });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('the rampart bin', () => {
  it('answers --version with the package version', async () => {
    expect(manifest.bin.rampart).toBe('./dist/rampart.js');
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r.code, r.err).toBe(EXIT.ok);
      expect(r.out.trim()).toBe(manifest.version);
    }
  }, 30_000);

  it('exits 2 on usage errors, with a message, and documents it in --help', async () => {
    const env = { RAMPART_URL: h.url, RAMPART_TOKEN: h.token };
    const usage = [
      ['no-such-command'],
      ['status', '--no-such-option'],
      ['create', '--service', 'x'],
      ['wait', '00000000-0000-4000-8000-000000000000', '--state', 'completed', '--timeout', 'soon'],
      ['action', '00000000-0000-4000-8000-000000000000', 'explode'],
    ];
    for (const args of usage) {
      const r = await run(args, env);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(EXIT.usage);
      expect(r.err.length).toBeGreaterThan(0);
    }
    const noToken = await run(['status', '00000000-0000-4000-8000-000000000000'], { RAMPART_URL: h.url });
    expect(noToken.code).toBe(EXIT.usage);
    expect(noToken.err).toContain('RAMPART_TOKEN');

    const help = await run(['--help']);
    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toMatch(/2 {2}usage/);
    expect(help.out).toContain('--version');
  }, 60_000);

  it('runs commands against a server, and a runtime failure stays exit 1', async () => {
    const env = { RAMPART_URL: h.url, RAMPART_TOKEN: h.token };
    const created = await run(['create', '--service', 'bin', '--version', '1.0.0', '--playbook', h.playbookKey], env);
    expect(created.code, created.err).toBe(EXIT.ok);
    const id = created.out.trim();
    const status = await run(['status', id, '--json'], env);
    expect(status.code, status.err).toBe(EXIT.ok);
    expect(ZRelease.parse(JSON.parse(status.out)).version).toBe('1.0.0');

    const missing = await run(['status', '00000000-0000-4000-8000-000000000000'], env);
    expect(missing.code).toBe(EXIT.error);
    expect(missing.err).toContain('404');
  }, 60_000);
});
