// A real Prometheus (Debian's /usr/bin/prometheus) on a loopback port, scraping a tiny exporter this
// test serves: canary and baseline request and error counters and a latency histogram.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const PROMETHEUS_BIN = process.env['PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';

export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface TCohortProfile {
  requestsPerSecond: number;
  errorShare: number;
  /** Cumulative share of requests at or under each bound (seconds). */
  latency: [number, number][];
}

export const BOUNDS = [0.05, 0.1, 0.25, 0.5, 1];
export const PROFILES: Record<'canary' | 'baseline', TCohortProfile> = {
  canary: { requestsPerSecond: 60, errorShare: 0.01, latency: [[0.05, 0.5], [0.1, 0.8], [0.25, 0.97], [0.5, 0.995], [1, 1]] },
  baseline: { requestsPerSecond: 240, errorShare: 0.008, latency: [[0.05, 0.55], [0.1, 0.85], [0.25, 0.98], [0.5, 0.998], [1, 1]] },
};

/** Serves Prometheus text whose counters grow with the wall clock. */
export async function startExporter(service: string): Promise<{ url: string; target: string; close(): Promise<void> }> {
  const startedAt = Date.now();
  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    const seconds = (Date.now() - startedAt) / 1000;
    const lines = [
      '# TYPE http_requests_total counter',
      '# TYPE http_request_errors_total counter',
      '# TYPE http_request_duration_seconds histogram',
    ];
    for (const [cohort, p] of Object.entries(PROFILES)) {
      const labels = `service="${service}",cohort="${cohort}"`;
      const requests = Math.floor(seconds * p.requestsPerSecond);
      lines.push(`http_requests_total{${labels}} ${requests}`);
      lines.push(`http_request_errors_total{${labels}} ${Math.floor(requests * p.errorShare)}`);
      for (const [le, share] of p.latency) lines.push(`http_request_duration_seconds_bucket{${labels},le="${le}"} ${Math.floor(requests * share)}`);
      lines.push(`http_request_duration_seconds_bucket{${labels},le="+Inf"} ${requests}`);
      lines.push(`http_request_duration_seconds_count{${labels}} ${requests}`);
      lines.push(`http_request_duration_seconds_sum{${labels}} ${(requests * 0.07).toFixed(3)}`);
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    target: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface TPrometheus {
  url: string;
  stop(): Promise<void>;
}

/** Starts Prometheus with a temp config and data dir; fails (never skips) when the binary is missing. */
export async function startPrometheus(target: string, bin: string = PROMETHEUS_BIN): Promise<TPrometheus> {
  if (!existsSync(bin)) {
    throw new Error(
      `${bin} is missing: this test needs a real Prometheus. Install it with \`apt-get update && apt-get install -y prometheus\` (or set PROMETHEUS_BIN).`,
    );
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'rampart-prometheus-'));
  const config = path.join(dir, 'prometheus.yml');
  await writeFile(
    config,
    ['global:', '  scrape_interval: 1s', '  evaluation_interval: 1s', 'scrape_configs:', '  - job_name: shop', '    static_configs:', `      - targets: ['${target}']`, ''].join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    bin,
    [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`);
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`prometheus did not become ready in 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let stopped = false;
  return {
    url,
    async stop() {
      if (!stopped) {
        stopped = true;
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until Prometheus has a sample of the query (the first scrapes took place). */
export async function waitForSamples(prometheusUrl: string, query: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = (await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`).then((r) => r.json())) as {
      data?: { result?: unknown[] };
    };
    if ((answer.data?.result?.length ?? 0) > 0) return;
    if (Date.now() > deadline) throw new Error(`no samples of ${query} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
