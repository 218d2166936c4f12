// The simulator's client half: it behaves like a customer's deploy pipeline and agent. Over HTTP, with an
// API token, it pushes each window's canary and baseline metrics, polls the desired traffic percent,
// applies it after a delay and acknowledges it. It survives HTTP errors (logs, backs off, retries) and
// stops by itself when the release is finished. Time comes from the injected clock only.
import type { TGateSpec, TMetricPointInput, TTraffic } from '@rampart/contracts';
import { FINISHED_STATES, MAX_POINTS_PER_REQUEST, ZTraffic } from '@rampart/contracts';
import type { TBusinessMetric } from './business-metrics.js';
import { businessMetricsFromGates } from './business-metrics.js';
import type { TGeneratorOptions } from './generator.js';
import { TrafficGenerator } from './generator.js';
import { seedFromText } from './random.js';
import type { TScenarioInput } from './scenarios.js';

/** Where the simulator reads the time: the server's clock (manual in tests, scaled in demos) fits. */
export interface TClock {
  now(): Date;
}

export interface TSimulatorLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const SILENT: TSimulatorLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface TSimulatorOptions
  extends Pick<TGeneratorOptions, 'baseErrorRate' | 'latencyMedianMs' | 'latencySigma' | 'healthEverySeconds' | 'latencyBucketsMs'> {
  /** Rampart's address, e.g. http://127.0.0.1:8080 (no trailing slash needed). */
  baseUrl: string;
  /** An API token with the scopes metrics:write, traffic:ack and releases:read. */
  token: string;
  releaseId: string;
  /** Default 'healthy'. */
  scenario?: TScenarioInput;
  clock: TClock;
  /** Default: derived from the release id. */
  seed?: number;
  /** Clock seconds per window (default 1). */
  windowSeconds?: number;
  /** Requests per second over both cohorts (default 100). */
  rps?: number;
  /** The gates whose business metrics to produce; default: read from the release's playbook over the API. */
  gates?: readonly TGateSpec[];
  /** Business metrics to produce, instead of inferring them from the gates. */
  businessMetrics?: readonly TBusinessMetric[];
  /** Clock seconds between seeing a new desired percent and acknowledging it (default 2). */
  ackDelaySeconds?: number;
  /** Clock seconds between polls of the desired percent (default: the window). */
  pollSeconds?: number;
  /** Real milliseconds between looks at the clock (default 250). */
  tickMs?: number;
  /** false: no timer; the caller drives it with `tick()` (tests with a ManualClock). Default true. */
  autoTick?: boolean;
  /** After a long gap (a clock jump, a pause of the process), at most this many windows are back-filled (default 300). */
  maxCatchUpWindows?: number;
  requestTimeoutMs?: number;
  logger?: TSimulatorLogger;
  fetch?: typeof fetch;
}

export type TStopReason = 'stopped' | 'finished' | 'not_found' | 'unauthorized';

export interface TSimulatorStats {
  windows: number;
  pointsSent: number;
  /** Percents acknowledged, in order. */
  acknowledged: number[];
  appliedPercent: number | null;
  desiredPercent: number | null;
  state: TTraffic['state'] | null;
  failures: number;
  lastError: string | null;
  stopReason: TStopReason | null;
}

export interface TSimulator {
  /** One pass: read the desired percent, acknowledge it when due, send the windows that have ended. Never throws. */
  tick(): Promise<void>;
  /** Stops the loop and waits for the pass in flight. */
  stop(): Promise<void>;
  /** Resolves when the simulator stops, with why. */
  readonly done: Promise<TStopReason>;
  stats(): TSimulatorStats;
}

/** Buffered points beyond this are dropped, oldest first, while the server is unreachable. */
const MAX_BUFFERED_POINTS = 50_000;
const MAX_BACKOFF_MS = 30_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

class Stop extends Error {
  constructor(readonly reason: TStopReason) {
    super(reason);
  }
}

export function startSimulator(options: TSimulatorOptions): TSimulator {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const releasePath = `/api/releases/${encodeURIComponent(options.releaseId)}`;
  const clock = options.clock;
  const log = options.logger ?? SILENT;
  const doFetch = options.fetch ?? globalThis.fetch;
  const windowMs = (options.windowSeconds ?? 1) * 1000;
  const ackDelayMs = (options.ackDelaySeconds ?? 2) * 1000;
  const tickMs = options.tickMs ?? 250;
  const pollMs = (options.pollSeconds ?? windowMs / 1000) * 1000;
  const maxCatchUp = options.maxCatchUpWindows ?? 300;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const abort = new AbortController();

  let generator: TrafficGenerator | null = null;
  let nextWindowEnd = 0;
  let applied: number | null = null;
  let pending: { percent: number; at: number } | null = null;
  let lastPoll: number | null = null;
  let buffer: TMetricPointInput[] = [];
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  const stats: TSimulatorStats = {
    windows: 0,
    pointsSent: 0,
    acknowledged: [],
    appliedPercent: null,
    desiredPercent: null,
    state: null,
    failures: 0,
    lastError: null,
    stopReason: null,
  };

  let resolveDone!: (reason: TStopReason) => void;
  const done = new Promise<TStopReason>((resolve) => {
    resolveDone = resolve;
  });

  function finish(reason: TStopReason) {
    if (stats.stopReason) return;
    stopped = true;
    stats.stopReason = reason;
    if (timer) clearTimeout(timer);
    timer = null;
    abort.abort();
    const level = reason === 'finished' || reason === 'stopped' ? 'info' : 'warn';
    log[level]({ releaseId: options.releaseId, reason, windows: stats.windows, points: stats.pointsSent }, 'traffic simulator stopped');
    resolveDone(reason);
  }

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const response = await doFetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.any([abort.signal, AbortSignal.timeout(requestTimeoutMs)]),
    });
    const text = await response.text();
    if (response.status >= 400) throw new HttpError(response.status, text, `${method} ${path}`);
    return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
  }

  /** The refusals that will never succeed on retry end the simulator. */
  function stopOn(error: unknown, finishedOn409: boolean): never {
    if (error instanceof HttpError) {
      if (error.status === 401 || error.status === 403) throw new Stop('unauthorized');
      if (error.status === 404) throw new Stop('not_found');
      if (error.status === 409 && finishedOn409) throw new Stop('finished');
    }
    throw error;
  }

  async function loadBusinessMetrics(): Promise<readonly TBusinessMetric[]> {
    if (options.businessMetrics) return options.businessMetrics;
    if (options.gates) return businessMetricsFromGates(options.gates);
    const release = await request<{ playbook: { id: string | null } }>('GET', releasePath).catch((e: unknown) => stopOn(e, false));
    if (!release.json.playbook.id) return [];
    try {
      const playbook = await request<{ spec: { gates: TGateSpec[] } }>('GET', `/api/playbooks/${release.json.playbook.id}`);
      return businessMetricsFromGates(playbook.json.spec.gates);
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return [];
      throw error;
    }
  }

  async function init() {
    const businessMetrics = await loadBusinessMetrics();
    const seed = options.seed ?? seedFromText(options.releaseId);
    generator = new TrafficGenerator({
      scenario: options.scenario ?? 'healthy',
      seed,
      windowSeconds: windowMs / 1000,
      businessMetrics,
      ...(options.rps === undefined ? {} : { rps: options.rps }),
      ...(options.baseErrorRate === undefined ? {} : { baseErrorRate: options.baseErrorRate }),
      ...(options.latencyMedianMs === undefined ? {} : { latencyMedianMs: options.latencyMedianMs }),
      ...(options.latencySigma === undefined ? {} : { latencySigma: options.latencySigma }),
      ...(options.healthEverySeconds === undefined ? {} : { healthEverySeconds: options.healthEverySeconds }),
      ...(options.latencyBucketsMs === undefined ? {} : { latencyBucketsMs: options.latencyBucketsMs }),
    });
    nextWindowEnd = clock.now().getTime() + windowMs;
    log.info(
      {
        releaseId: options.releaseId,
        scenario: generator.model.scenario,
        rps: generator.rps,
        windowSeconds: windowMs / 1000,
        businessMetrics: businessMetrics.map((m) => m.metric),
        seed,
      },
      'traffic simulator started',
    );
  }

  /** Follows the desired percent like a deploy agent: apply after a delay, then acknowledge. */
  async function reconcileTraffic(): Promise<void> {
    const answer = await request<unknown>('GET', `${releasePath}/traffic`).catch((e: unknown) => stopOn(e, false));
    const parsed = ZTraffic.safeParse(answer.json);
    if (!parsed.success) throw new Error(`GET ${releasePath}/traffic: unexpected answer: ${parsed.error.message}`);
    const traffic = parsed.data;
    stats.state = traffic.state;
    stats.desiredPercent = traffic.desiredPercent;
    if (applied === null) applied = traffic.acknowledgedPercent;
    const now = clock.now().getTime();
    if (traffic.desiredPercent === applied) {
      pending = null;
    } else if (pending?.percent !== traffic.desiredPercent) {
      pending = { percent: traffic.desiredPercent, at: now + ackDelayMs };
      log.debug({ releaseId: options.releaseId, from: applied, to: pending.percent }, 'applying the desired traffic percent');
    }
    if (pending && now >= pending.at) {
      const percent = pending.percent;
      try {
        await request('POST', `${releasePath}/traffic/ack`, { percent });
        applied = percent;
        pending = null;
        stats.acknowledged.push(percent);
        log.info({ releaseId: options.releaseId, percent }, 'traffic percent applied and acknowledged');
      } catch (error) {
        // A finished release refuses to move its traffic: nothing left to follow.
        if (error instanceof HttpError && error.status === 409 && FINISHED_STATES.includes(traffic.state)) throw new Stop('finished');
        stopOn(error, false);
      }
    }
    stats.appliedPercent = applied;
    if (FINISHED_STATES.includes(traffic.state) && (pending === null || applied === traffic.desiredPercent)) {
      throw new Stop('finished');
    }
  }

  function generateDueWindows() {
    if (!generator) return;
    const now = clock.now().getTime();
    const due = Math.floor((now - nextWindowEnd) / windowMs) + 1;
    if (due > maxCatchUp) {
      const skipped = due - maxCatchUp;
      nextWindowEnd += skipped * windowMs;
      log.debug({ releaseId: options.releaseId, skipped }, 'clock jumped: skipping windows');
    }
    while (nextWindowEnd <= now) {
      const window = generator.window(nextWindowEnd, applied ?? 0);
      buffer.push(...window.points);
      stats.windows++;
      nextWindowEnd += windowMs;
    }
    if (buffer.length > MAX_BUFFERED_POINTS) {
      const dropped = buffer.length - MAX_BUFFERED_POINTS;
      buffer = buffer.slice(dropped);
      log.warn({ releaseId: options.releaseId, dropped }, 'metrics buffer full: oldest points dropped');
    }
  }

  async function flush() {
    while (buffer.length > 0 && !stopped) {
      const chunk = buffer.slice(0, MAX_POINTS_PER_REQUEST);
      try {
        await request('POST', `${releasePath}/metrics`, { points: chunk });
      } catch (error) {
        if (error instanceof HttpError && (error.status === 400 || error.status === 413 || error.status === 422)) {
          // Sending the same points again cannot succeed: say why, drop them, carry on.
          log.error({ releaseId: options.releaseId, status: error.status, body: error.body.slice(0, 500) }, 'metrics refused: points dropped');
          buffer = buffer.slice(chunk.length);
          continue;
        }
        stopOn(error, true);
      }
      buffer = buffer.slice(chunk.length);
      stats.pointsSent += chunk.length;
    }
  }

  async function pass() {
    if (!generator) await init();
    const now = clock.now().getTime();
    // Poll once per poll interval, and whenever an acknowledgement falls due.
    if (lastPoll === null || now - lastPoll >= pollMs || (pending !== null && now >= pending.at)) {
      await reconcileTraffic();
      lastPoll = now;
    }
    generateDueWindows();
    await flush();
  }

  async function tick(): Promise<void> {
    if (stopped) return;
    if (inFlight) return inFlight;
    inFlight = (async () => {
      try {
        await pass();
        failures = 0;
      } catch (error) {
        if (error instanceof Stop) {
          finish(error.reason);
          return;
        }
        if (stopped) return;
        failures++;
        stats.failures++;
        stats.lastError = error instanceof Error ? error.message : String(error);
        // The first failure and then every tenth, so an outage does not flood the log.
        if (failures === 1 || failures % 10 === 0) {
          log.warn({ releaseId: options.releaseId, failures, err: stats.lastError }, 'traffic simulator: request failed, backing off');
        }
      }
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  function schedule(delayMs: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void tick().then(() => schedule(failures > 0 ? Math.min(MAX_BACKOFF_MS, tickMs * 2 ** failures) : tickMs));
    }, delayMs);
    timer.unref();
  }

  if (options.autoTick !== false) schedule(0);

  return {
    tick,
    async stop() {
      finish('stopped');
      await inFlight;
    },
    done,
    stats: () => ({ ...stats, acknowledged: [...stats.acknowledged] }),
  };
}
