// Real traffic routers for the agent's tests: Debian's haproxy and nginx, started by the test on
// loopback with configurations in a temp dir (nginx with its own prefix, pid file and error log), in
// front of two tiny Node backends that answer "stable" and "canary". Every start registers its stop.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { access, constants, mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { until } from '../../../apps/api/test/support/until.js';

export const HAPROXY_BIN = '/usr/sbin/haproxy';
export const NGINX_BIN = '/usr/sbin/nginx';

/** Fails (never skips) when a system package is missing: CI installs them with `pnpm system-packages`. */
export async function requireBinary(binary: string): Promise<void> {
  try {
    await access(binary, constants.X_OK);
  } catch {
    throw new Error(`${binary} is not installed: run \`pnpm system-packages\` (Debian's ${path.basename(binary)} package)`);
  }
}

export interface TStoppable {
  stop(): Promise<void>;
}

export interface TBackends extends TStoppable {
  stable: number;
  canary: number;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export async function startBackends(): Promise<TBackends> {
  const servers = ['stable', 'canary'].map((name) => http.createServer((_request, response) => response.end(name)));
  const [stable, canary] = await Promise.all(servers.map(listen));
  return { stable: stable!, canary: canary!, stop: async () => void (await Promise.all(servers.map(close))) };
}

/** A loopback port free at this moment, for a router that cannot bind port 0 and report it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** One request on a fresh connection, so the router balances each one; answers the body. */
export function getThrough(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(response.statusCode === 200 ? body : `status ${response.statusCode}`));
    });
    request.setTimeout(5000, () => request.destroy(new Error('no answer through the router within 5 s')));
    request.on('error', reject);
  });
}

/** `count` requests, a few at a time; answers how many each body got. */
export async function sample(port: number, count: number): Promise<Record<string, number>> {
  const tally: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const body = await getThrough(port);
      tally[body] = (tally[body] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return tally;
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

function startProcess(binary: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('error', (error) => (output += `\n${error.message}`));
  return { child, output: () => output };
}

async function ready(port: number, child: ChildProcess, output: () => string, name: string): Promise<void> {
  await until(`${name} to answer on 127.0.0.1:${port}`, async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${output()}`);
    return getThrough(port).then(
      () => true,
      () => false,
    );
  });
}

export interface THaproxy extends TStoppable {
  port: number;
  socket: string;
  backend: string;
}

/** HAProxy in the foreground (-db), roundrobin over stable and canary, weights 1/1 to start. */
export async function startHaproxy(dir: string, backends: TBackends): Promise<THaproxy> {
  const port = await freePort();
  const socket = path.join(dir, 'haproxy.sock');
  const config = path.join(dir, 'haproxy.cfg');
  await writeFile(
    config,
    [
      'global',
      `  stats socket ${socket} mode 600 level admin`,
      '  nbthread 1',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 10s',
      '  timeout server 10s',
      'frontend web',
      `  bind 127.0.0.1:${port}`,
      '  default_backend app',
      'backend app',
      '  balance roundrobin',
      `  server stable 127.0.0.1:${backends.stable} weight 1`,
      `  server canary 127.0.0.1:${backends.canary} weight 1`,
      '',
    ].join('\n'),
  );
  const { child, output } = startProcess(HAPROXY_BIN, ['-db', '-f', config]);
  const stop = () => stopProcess(child, 'SIGTERM');
  try {
    await ready(port, child, output, 'haproxy');
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, socket, backend: 'app', stop };
}

export interface TNginx extends TStoppable {
  port: number;
  prefix: string;
  config: string;
  pidFile: string;
  upstreamFile: string;
  master: number;
}

/** nginx in the foreground (daemon off) with its own prefix; its upstream block includes upstream.conf. */
export async function startNginx(dir: string, backends: TBackends): Promise<TNginx> {
  const port = await freePort();
  const prefix = path.join(dir, 'nginx');
  await mkdir(path.join(prefix, 'logs'), { recursive: true });
  const config = path.join(prefix, 'nginx.conf');
  const pidFile = path.join(prefix, 'nginx.pid');
  const upstreamFile = path.join(prefix, 'upstream.conf');
  // Both weights 1 to start, as the HAProxy one: the agent must set them.
  await writeFile(upstreamFile, `server 127.0.0.1:${backends.stable};\nserver 127.0.0.1:${backends.canary};\n`);
  await writeFile(
    config,
    [
      'worker_processes 1;', // one round-robin state, so a cycle's counts are exact
      `pid ${pidFile};`,
      `error_log ${path.join(prefix, 'logs', 'error.log')} notice;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${prefix}/tmp-body;`,
      `  proxy_temp_path ${prefix}/tmp-proxy;`,
      `  fastcgi_temp_path ${prefix}/tmp-fastcgi;`,
      `  uwsgi_temp_path ${prefix}/tmp-uwsgi;`,
      `  scgi_temp_path ${prefix}/tmp-scgi;`,
      `  upstream app { include ${upstreamFile}; }`,
      `  server { listen 127.0.0.1:${port}; location / { proxy_pass http://app; } }`,
      '}',
      '',
    ].join('\n'),
  );
  const { child, output } = startProcess(NGINX_BIN, ['-p', prefix, '-c', config, '-e', path.join(prefix, 'logs', 'error.log'), '-g', 'daemon off;']);
  const stop = () => stopProcess(child, 'SIGTERM');
  try {
    await ready(port, child, output, `nginx (its log: ${path.join(prefix, 'logs', 'error.log')})`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, prefix, config, pidFile, upstreamFile, master: child.pid!, stop };
}

/**
 * Sends requests two at a time until `run` answers in a row came from stable; answers the ms from
 * `since` to the start of the first request of that run: when traffic was all on stable, measured on
 * the traffic itself to within one request's time.
 */
export async function msUntilAllStable(port: number, since: number, run = 20, timeoutMs = 10_000): Promise<number> {
  let streak = 0;
  let streakStart = 0;
  let done = false;
  const prober = async () => {
    while (!done) {
      if (performance.now() - since > timeoutMs) throw new Error(`traffic through 127.0.0.1:${port} not all on stable within ${timeoutMs} ms`);
      const started = performance.now();
      const body = await getThrough(port);
      if (done) return;
      if (body !== 'stable') streak = 0;
      else if (streak++ === 0) streakStart = started;
      if (streak >= run) done = true;
    }
  };
  await Promise.all([prober(), prober()]);
  return streakStart - since;
}
