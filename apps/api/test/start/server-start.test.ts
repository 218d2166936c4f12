// The production server as `pnpm start` runs it (the built bundle), on a fresh embedded database:
// first start, a request or two, a graceful stop, and a restart that finds its data again.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const serverPath = fileURLToPath(new URL('../../dist/server.js', import.meta.url));
let dataDir: string;

interface TRunning {
  child: ChildProcess;
  url: string;
  startupMs: number;
  output: () => string;
}

function startServer(env: Record<string, string>): Promise<TRunning> {
  const child = spawn(process.execPath, [serverPath], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = output.match(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      const up = output.match(/"startupMs":(\d+)/);
      if (listening?.[1] && up?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: listening[1], startupMs: Number(up[1]), output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

function stop(running: TRunning): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.removeAllListeners('exit');
    running.child.on('exit', (code) => resolve(code));
    running.child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'rampart-start-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('pnpm start on a fresh machine', () => {
  it('starts on the embedded database in demo mode, serves, stops gracefully and keeps its data', async () => {
    const first = await startServer({ RAMPART_DATA_DIR: dataDir });
    expect(first.output()).toContain('demo mode');
    expect(first.output()).toContain('owner@rampart.test');
    const health = await fetch(`${first.url}/health`);
    expect(health.status).toBe(200);
    // The dashboard comes from the same address: its page for any client-side route, its assets as files.
    for (const page of ['/', '/releases/any-id', '/status']) {
      const response = await fetch(`${first.url}${page}`);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('<div id="root">');
    }
    expect((await fetch(`${first.url}/api/nothing-here`)).status).toBe(404);
    expect((await fetch(`${first.url}/../../etc/passwd`)).status).not.toBe(500);

    const login = await fetch(`${first.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@rampart.test', password: 'rampart' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(first.output()).not.toContain(cookie.split('=')[1]);
    const { playbooks } = await (await fetch(`${first.url}/api/playbooks`, { headers: { cookie } })).json();
    expect(playbooks).toHaveLength(5);
    const created = await fetch(`${first.url}/api/releases`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'checkout', version: '2.0.0', playbookId: playbooks[0].id }),
    });
    expect(created.status).toBe(201);

    // The demo release, driven by the built-in simulator, has canary and baseline data within seconds.
    const deadline = Date.now() + 30_000;
    let series = { canary: [] as unknown[], baseline: [] as unknown[] };
    while (Date.now() < deadline && (series.canary.length === 0 || series.baseline.length === 0)) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { releases } = await (await fetch(`${first.url}/api/releases?service=demo-checkout`, { headers: { cookie } })).json();
      if (!releases[0]) continue;
      series = await (await fetch(`${first.url}/api/releases/${releases[0].id}/metrics?metric=requests`, { headers: { cookie } })).json();
    }
    expect(series.canary.length).toBeGreaterThan(0);
    expect(series.baseline.length).toBeGreaterThan(0);
    expect(await stop(first), first.output().slice(-3000)).toBe(0);

    const second = await startServer({ RAMPART_DATA_DIR: dataDir });
    const again = await fetch(`${second.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@rampart.test', password: 'rampart' }),
    });
    const cookie2 = again.headers.get('set-cookie')?.split(';')[0] ?? '';
    const { releases } = await (await fetch(`${second.url}/api/releases`, { headers: { cookie: cookie2 } })).json();
    expect(releases.map((r: { service: string }) => r.service).sort()).toEqual(['checkout', 'demo-checkout']);
    expect(await stop(second), second.output().slice(-3000)).toBe(0);
    console.log(`start-up on the embedded database: first ${first.startupMs} ms, restart ${second.startupMs} ms`);
  }, 180_000);

  it('refuses a bad configuration with a clear message and exit code 1', async () => {
    const child = spawn(process.execPath, [serverPath], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', RAMPART_DEMO: 'maybe' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('PORT: must be a number');
    expect(stderr).toContain('RAMPART_DEMO: must be 1 or 0');
  });
});
