// SIGTERM while everything is busy: the demo simulator pushing through the API, a live socket that
// follows a release, another whose client went silent (a laptop lid closed: it never answers the close
// handshake), a Prometheus source whose server accepts and never answers, and the CPU taken by another
// process. The server must still exit 0 well inside an orchestrator's grace period (it had run into the
// 30 s limit and been killed).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/until.js';

const apiDir = fileURLToPath(new URL('../..', import.meta.url));
/** Exit within this after SIGTERM, on a loaded machine. */
const EXIT_BOUND_MS = 10_000;

let dataDir: string;
let prometheus: Server;
let prometheusUrl: string;
const hanging: IncomingMessage[] = [];
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'rampart-shutdown-'));
  // A Prometheus that takes every query and never answers.
  prometheus = createServer((request) => void hanging.push(request));
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  const address = prometheus.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  prometheusUrl = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const step of cleanup.splice(0)) step();
  prometheus.closeAllConnections();
  await new Promise((resolve) => prometheus.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});

interface TRunning {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** The server from its source, as `pnpm dev` runs it (no build needed), on a fresh embedded database in demo mode. */
function startServer(): Promise<TRunning> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: apiDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      RAMPART_DATA_DIR: dataDir,
      // Passes (and Prometheus polls) every half second, so a poll is in flight when the signal comes.
      RAMPART_AUTOPILOT_INTERVAL_MS: '500',
      // The test's Prometheus listens on loopback, which outbound requests may not reach by default.
      RAMPART_OUTBOUND_ALLOW: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => child.kill('SIGKILL'));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = output.match(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      if (listening?.[1] && output.includes('Rampart is up')) {
        clearTimeout(timer);
        resolve({ child, url: listening[1], output: () => output });
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

/** Another process spinning on the CPU for as long as the test runs. */
function busyLoop(): void {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  cleanup.push(() => child.kill('SIGKILL'));
}

/** A live socket whose client completed the upgrade and then went silent: it reads nothing and never closes. */
async function silentSocket(url: string, cookie: string): Promise<Socket> {
  const { hostname, port, host } = new URL(url);
  const socket = connect(Number(port), hostname);
  cleanup.push(() => socket.destroy());
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    [
      'GET /api/ws HTTP/1.1',
      `Host: ${host}`,
      `Origin: ${url}`,
      `Cookie: ${cookie}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ].join('\r\n'),
  );
  const head = await new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  expect(head).toMatch(/^HTTP\/1\.1 101/);
  // From here on it is a laptop with its lid closed: nothing is read, no close frame is answered.
  socket.pause();
  return socket;
}

async function json<T>(response: Response): Promise<T> {
  expect(response.ok, `${response.status} ${response.url}`).toBe(true);
  return (await response.json()) as T;
}

describe('SIGTERM while busy', () => {
  it('exits 0 within 10 s with the simulator, live sockets and a hanging Prometheus poll active, under CPU load', async () => {
    const server = await startServer();
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@rampart.test', password: 'rampart' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    const headers = { cookie, 'content-type': 'application/json' };

    // The demo release, pushed to by the simulator.
    let releaseId = '';
    await until(
      'the demo release to have simulated traffic',
      async () => {
        const { releases } = await json<{ releases: { id: string }[] }>(await fetch(`${server.url}/api/releases?service=demo-checkout`, { headers }));
        releaseId = releases[0]?.id ?? '';
        if (!releaseId) return false;
        const series = await json<{ canary: unknown[] }>(await fetch(`${server.url}/api/releases/${releaseId}/metrics?metric=requests`, { headers }));
        return series.canary.length > 0;
      },
      90_000,
    );

    const source = await fetch(`${server.url}/api/releases/${releaseId}/metrics-source`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        url: prometheusUrl,
        stepSeconds: 1,
        queries: [
          { metric: 'requests', cohort: 'canary', query: 'sum(increase(http_requests_total{cohort="{{cohort}}"}[{{step}}]))' },
          { metric: 'errors', cohort: 'canary', query: 'sum(increase(http_errors_total{cohort="{{cohort}}"}[{{step}}]))' },
          { metric: 'requests', cohort: 'baseline', query: 'sum(increase(http_requests_total{cohort="{{cohort}}"}[{{step}}]))' },
          { metric: 'errors', cohort: 'baseline', query: 'sum(increase(http_errors_total{cohort="{{cohort}}"}[{{step}}]))' },
        ],
      }),
    });
    expect(source.status, await source.text()).toBe(200);

    // A dashboard following the release, and a client gone silent.
    const follower = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/ws`, { headers: { cookie, origin: server.url } });
    cleanup.push(() => follower.terminate());
    await new Promise<void>((resolve, reject) => follower.once('open', resolve).once('error', reject));
    follower.send(JSON.stringify({ type: 'subscribe', releaseId }));
    await silentSocket(server.url, cookie);

    busyLoop();
    await until('a Prometheus query to be waiting for its answer', () => hanging.length > 0, 30_000);

    const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
      const sentAt = performance.now();
      server.child.removeAllListeners('exit');
      server.child.on('exit', (code) => resolve({ code, ms: performance.now() - sentAt }));
    });
    server.child.kill('SIGTERM');
    const bound = new Promise<null>((resolve) => setTimeout(() => resolve(null), EXIT_BOUND_MS).unref());
    const result = await Promise.race([exited, bound]);
    expect(result, `no exit within ${EXIT_BOUND_MS} ms of SIGTERM:\n${server.output().slice(-4000)}`).not.toBeNull();
    expect(result!.code, server.output().slice(-4000)).toBe(0);
    console.log(`graceful shutdown under load: ${Math.round(result!.ms)} ms`);
  }, 240_000);
});
