// `pnpm start` at a terminal (RAMPART_LOG_PRETTY=1 stands in for a TTY): the built server prints a banner
// with its address and the demo users, and the demo simulator's own calls stay out of the request log.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/until.js';

const serverPath = fileURLToPath(new URL('../../dist/server.js', import.meta.url));
let dataDir: string;
let child: ChildProcess | null = null;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'rampart-pretty-'));
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('readable start-up output', () => {
  it('prints a banner with the URL and demo users, and keeps the simulator out of the request log', async () => {
    let output = '';
    let exitCode: number | null = null;
    child = spawn(process.execPath, [serverPath], {
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', RAMPART_LOG_PRETTY: '1', RAMPART_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => (exitCode = code));
    const alive = () => {
      if (exitCode !== null) throw new Error(`server exited with ${exitCode}:\n${output}`);
    };

    await until('the start banner', () => (alive(), /Rampart is up at http:\/\/127\.0\.0\.1:\d+/.test(output)), 90_000);
    const url = /Rampart is up at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    expect(output).toContain('owner@rampart.test');
    expect(output).toContain('password "rampart"');
    expect(output).toContain('Next: open');
    // Readable lines, not JSON.
    expect(output).not.toMatch(/^\{"level"/m);

    // A request of ours is logged ...
    expect((await fetch(`${url}/health`)).status).toBe(200);
    await until('our request in the log', () => (alive(), output.includes('/health')), 30_000);
    // ... while the simulator has read its release and playbook, polled the traffic and acknowledged it.
    await until('the simulator to acknowledge its traffic', () => (alive(), output.includes('traffic percent applied and acknowledged')), 90_000);
    expect(output).not.toMatch(/"url": "\/api\/(releases|playbooks)/);
    expect(output.match(/incoming request/g)?.length).toBe(1);
  }, 240_000);
});
