// rampart agent: runs on the deploy machine and makes the applied traffic follow the release's desired
// percent. It learns the desired percent from the live channel (GET /api/ws, a `release` frame after
// every change) and, as a fallback and a safety net, by polling GET /api/releases/:id/traffic. When
// desired and applied differ it runs the user's command (through a shell, here, never on the server)
// with {percent} filled in, and acknowledges the percent only when the command exits 0. A failed command
// is reported on stderr and retried with exponential backoff. Instead of a command it can drive a
// traffic router itself (routers/: HAProxy's runtime API, an nginx upstream file and reload); then a
// percent is acknowledged only once the router reports it in force, and the desired percent is applied
// at start too, since a router's state is cheap to set again and may have drifted. A rollback
// (desired 0) does not wait: a command running for another percent is stopped (its process group gets
// SIGTERM, then SIGKILL; a router's apply stops at its next step) and the 0% one runs at once. The agent exits when the release has finished and its final percent
// is applied.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { TReleaseState, TTraffic } from '@rampart/contracts';
import { FINISHED_STATES, ZLiveRelease, ZTraffic } from '@rampart/contracts';
import WebSocket from 'ws';
import type { RampartClient } from '../client.js';
import type { TTrafficRouter } from '../routers/router.js';
import { ApiError } from '../client.js';
import { CliExit, EXIT } from '../exit-codes.js';
import type { TIo } from '../io.js';
import { print } from '../io.js';

export interface TAgentOptions {
  release: string;
  /** Run through the shell with every {percent} replaced, e.g. `wrangler deployments gradual {percent}`. */
  exec?: string;
  /** Or drive this router directly (exactly one of exec and router). */
  router?: TTrafficRouter;
  /** Polling period without the live channel, ms (default 2000); with it, five times that. */
  pollIntervalMs?: number;
  /** Follow the live channel (default true). */
  websocket?: boolean;
  /** First retry after a failed command, ms (default 1000), doubling up to retryMaxMs (default 60000). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Between SIGTERM and SIGKILL when a command is stopped for a rollback, ms (default 5000). */
  killGraceMs?: number;
  /** Stops the agent (Ctrl-C, tests). */
  signal?: AbortSignal;
}

export interface TAgentResult {
  state: TReleaseState;
  applied: number | null;
  commandsRun: number;
  failures: number;
}

interface TRunning {
  percent: number;
  stopped: boolean;
  /** Stops the apply; its end is still reported, and only then may the next one start. */
  stop(): void;
}

const isFinished = (state: TReleaseState) => FINISHED_STATES.includes(state);

export function fillCommand(template: string, percent: number): string {
  return template.replaceAll('{percent}', String(percent));
}

export async function runAgent(client: RampartClient, io: TIo, options: TAgentOptions): Promise<TAgentResult> {
  const id = options.release;
  const pollMs = options.pollIntervalMs ?? 2000;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 60_000;
  const killGraceMs = options.killGraceMs ?? 5000;
  const log = (line: string) => print(io.stderr, `[rampart agent ${new Date().toISOString()}] ${line}`);
  if ((options.exec === undefined) === (options.router === undefined)) throw new CliExit(EXIT.usage, 'give either --exec or --router');

  // Fails fast on a wrong id, URL or token.
  const first = await client.get(`/api/releases/${encodeURIComponent(id)}/traffic`, ZTraffic);
  let state: TReleaseState = first.state;
  let desired = first.desiredPercent;
  /** What this machine last applied; at start, what the server says was acknowledged. */
  let applied: number | null = options.router ? null : first.acknowledgedPercent;
  let unacked: number | null = null;
  let running: TRunning | null = null;
  let failure: { percent: number; attempts: number; retryAt: number } | null = null;
  let commandsRun = 0;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let socket: WebSocket | null = null;
  let socketOpen = false;
  let socketRetryMs = 1000;
  let socketTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let settle!: (result: TAgentResult) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<TAgentResult>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });

  log(`following release ${id}: ${state}, desired ${desired}%, acknowledged ${applied}%`);

  function finish(result: TAgentResult | Error) {
    if (stopped) return;
    stopped = true;
    clearTimeout(retryTimer);
    clearTimeout(pollTimer);
    clearTimeout(socketTimer);
    socket?.close();
    if (running) stopApply(running);
    if (result instanceof Error) fail(result);
    else settle(result);
  }

  function update(traffic: Pick<TTraffic, 'state' | 'desiredPercent'>, via: string) {
    if (stopped) return;
    if (traffic.desiredPercent !== desired || traffic.state !== state) {
      log(`${via}: ${traffic.state}, desired ${traffic.desiredPercent}%`);
    }
    state = traffic.state;
    desired = traffic.desiredPercent;
    reconcile();
  }

  function stopApply(run: TRunning) {
    if (run.stopped) return;
    run.stopped = true;
    run.stop();
  }

  function stopChild(child: ChildProcess) {
    if (child.exitCode !== null || child.pid === undefined) return;
    const pid = child.pid;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig); // the whole process group: the shell and what it started
      } catch {
        child.kill(sig);
      }
    };
    signalGroup('SIGTERM');
    setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) signalGroup('SIGKILL');
    }, killGraceMs).unref();
  }

  async function acknowledge(percent: number) {
    try {
      await client.post(`/api/releases/${encodeURIComponent(id)}/traffic/ack`, ZTraffic, { percent });
      log(`acknowledged ${percent}%`);
      if (unacked === percent) unacked = null;
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
        // e.g. the release finished meanwhile and its traffic no longer moves to this percent.
        log(`the acknowledgement of ${percent}% was refused: ${error.message}`);
        if (unacked === percent) unacked = null;
      } else {
        log(`could not acknowledge ${percent}% (${(error as Error).message}); will retry`);
        unacked = percent;
      }
    }
  }

  /** The end of an apply, a command's or a router's: acknowledge, or schedule the retry. */
  function ended(run: TRunning, why: string | null) {
    if (running !== run) return;
    running = null;
    const { percent } = run;
    if (run.stopped) {
      log(`stopped ${options.router ? 'applying' : 'the command for'} ${percent}% (${why ?? 'it had finished'}) to apply ${desired}% first`);
    } else if (why === null) {
      applied = percent;
      failure = null;
      void acknowledge(percent).then(() => reconcile());
      return;
    } else {
      failures += 1;
      const attempts = failure?.percent === percent ? failure.attempts + 1 : 1;
      const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** (attempts - 1));
      const jittered = Math.round(delay * (0.8 + Math.random() * 0.4));
      failure = { percent, attempts, retryAt: Date.now() + jittered };
      log(`FAILED to apply ${percent}% (${why}); not acknowledged; attempt ${attempts}, retrying in ${(jittered / 1000).toFixed(1)}s`);
    }
    reconcile();
  }

  function startRouter(router: TTrafficRouter, percent: number) {
    commandsRun += 1;
    log(`applying ${percent}% to ${router.name}`);
    const controller = new AbortController();
    const run: TRunning = { percent, stopped: false, stop: () => controller.abort() };
    running = run;
    router.apply(percent, controller.signal).then(
      (inForce) => {
        log(`${percent}% in force: ${inForce}`);
        ended(run, null);
      },
      (error: unknown) => ended(run, (error as Error).message),
    );
  }

  function startCommand(template: string, percent: number) {
    const command = fillCommand(template, percent);
    commandsRun += 1;
    log(`applying ${percent}%: ${command}`);
    const child = spawn(command, {
      shell: true,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...io.env, RAMPART_RELEASE_ID: id, RAMPART_PERCENT: String(percent) },
    });
    child.stdout?.pipe(io.stdout, { end: false });
    child.stderr?.pipe(io.stderr, { end: false });
    const run: TRunning = { percent, stopped: false, stop: () => stopChild(child) };
    running = run;
    child.once('error', (error) => ended(run, error.message));
    child.once('exit', (code, signal) => ended(run, code === 0 ? null : signal ? `killed by ${signal}` : `exit code ${code}`));
  }

  function reconcile() {
    if (stopped) return;
    if (running) {
      // A rollback does not wait for a command that applies another percent.
      if (desired === 0 && running.percent !== 0) stopApply(running);
      return;
    }
    if (unacked !== null && unacked === applied) {
      void acknowledge(unacked);
    }
    if (applied === desired) {
      failure = null;
      if (isFinished(state) && unacked === null) {
        log(`release ${state}; ${desired}% applied; exiting`);
        finish({ state, applied, commandsRun, failures });
      }
      return;
    }
    if (failure && failure.percent === desired && Date.now() < failure.retryAt) {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(reconcile, failure.retryAt - Date.now());
      return;
    }
    if (options.router) startRouter(options.router, desired);
    else if (options.exec !== undefined) startCommand(options.exec, desired);
  }

  async function poll() {
    if (stopped) return;
    try {
      update(await client.get(`/api/releases/${encodeURIComponent(id)}/traffic`, ZTraffic), 'poll');
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 401 || error.status === 403)) {
        finish(new CliExit(EXIT.error, error.message));
        return;
      }
      log(`poll failed: ${(error as Error).message}`);
    }
    if (!stopped) {
      clearTimeout(pollTimer);
      pollTimer = setTimeout(() => void poll(), socketOpen ? pollMs * 5 : pollMs);
    }
  }

  function connect() {
    if (stopped) return;
    const ws = new WebSocket(client.websocketUrl('/api/ws'), { headers: client.authHeaders });
    socket = ws;
    ws.on('open', () => {
      socketOpen = true;
      socketRetryMs = 1000;
      ws.send(JSON.stringify({ type: 'subscribe', releaseIds: [id] }));
    });
    ws.on('message', (data: WebSocket.RawData) => {
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      const type = (frame as { type?: unknown }).type;
      if (type === 'release') {
        const parsed = ZLiveRelease.safeParse(frame);
        if (parsed.success && parsed.data.release.id === id) update(parsed.data.release, 'live');
      } else if (type === 'resync') {
        void poll();
      }
    });
    ws.on('unexpected-response', (_request, response) => {
      log(`live channel refused (${response.statusCode}); polling every ${pollMs} ms`);
      ws.terminate();
    });
    ws.on('error', () => undefined); // 'close' follows
    ws.on('close', () => {
      const wasOpen = socketOpen;
      socketOpen = false;
      if (stopped) return;
      if (wasOpen) log('live channel lost; polling until it is back');
      socketTimer = setTimeout(connect, socketRetryMs);
      socketRetryMs = Math.min(socketRetryMs * 2, 30_000);
    });
  }

  options.signal?.addEventListener('abort', () => finish({ state, applied, commandsRun, failures }), { once: true });
  if (options.websocket ?? true) connect();
  reconcile();
  pollTimer = setTimeout(() => void poll(), pollMs);
  return done;
}
