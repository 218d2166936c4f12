// Polls Prometheus for every active release that has a source. One instance at a time (the lease named
// 'prometheus'): each pass reads, per release, the window since its last successful poll with
// query_range, and stores the points through ingestMetrics, the same path pushed points take, so they
// are judged alike. A failing Prometheus is recorded once per outage as a metrics.source_error event
// (its message says why) and keeps the release's source status in error until a poll succeeds; the
// window is then read again from where it stopped, so nothing Prometheus kept is lost.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { TMetricPointInput, TMetricsSourceStatus, TScalarPoint } from '@rampart/contracts';
import { MAX_POINTS_PER_REQUEST, ZScalarPoint, fillPromql } from '@rampart/contracts';
import type { TActor } from '@rampart/domain';
import { Lease } from '../autopilot/lease.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/prisma.js';
import type { TOutboundClient } from '../outbound/outbound-client.js';
import { ingestMetrics } from '../services/metrics/ingest-metrics.js';
import { recordEvents } from '../services/releases/persist-change.js';
import { PrometheusError, queryRange } from './prometheus-client.js';
import type { TStoredMetricsSource } from './source-store.js';
import { parseStoredSource, writeStatus } from './source-store.js';

/** The poller's identity in the event log. */
export const PROMETHEUS_POLLER: TActor = { kind: 'system', userId: null, name: 'prometheus poller', role: 'admin', approvalRoles: [] };

const COUNTERS = new Set(['requests', 'errors']);
/** Prometheus refuses a query_range of more than 11,000 points per series; stay under it. */
const MAX_STEPS_PER_QUERY = 10_000;

export interface TPollerOptions {
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Wall-clock ms between passes (default 5000); each release is read at most once per its stepSeconds. */
  intervalMs?: number;
  timeoutMs?: number;
  /** Every query goes through it: the outbound policy, checked on the address it connects to. */
  outbound: TOutboundClient;
  /** After points were stored or a source's health changed (e.g. to judge the release at once, or push live). */
  onPolled?: (releaseId: string, result: TPollResult) => void;
}

export interface TPollResult {
  stored: number;
  points: TScalarPoint[];
  error: string | null;
  /** True when this poll began an outage (and recorded its event). */
  outageStarted: boolean;
}

export interface TPrometheusPoller {
  readonly instanceId: string;
  isLeader(): boolean;
  /** One full pass now, even if no release is due (tests); resolves when done. */
  tick(options?: { force?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

interface TReleaseRow {
  id: string;
  service: string;
  version: string;
  startedAt: Date | null;
  metricsSource: unknown;
}

/** Several series for one query (a query without sum/avg): counters add up, gauges average. */
function combine(metric: string, series: { values: [number, number][] }[]): Map<number, number> {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const s of series) {
    for (const [t, v] of s.values) {
      const e = sums.get(t) ?? { sum: 0, n: 0 };
      e.sum += v;
      e.n += 1;
      sums.set(t, e);
    }
  }
  const out = new Map<number, number>();
  for (const [t, { sum, n }] of sums) out.set(t, COUNTERS.has(metric) ? sum : sum / n);
  return out;
}

/** Reads one release's window and stores its points; throws PrometheusError when Prometheus fails. */
export async function pollRelease(
  deps: { db: Db; clock: Clock; timeoutMs?: number; outbound: TOutboundClient; signal?: AbortSignal },
  release: TReleaseRow,
  source: TStoredMetricsSource,
  force = false,
): Promise<{ stored: number; points: TScalarPoint[]; polledUntil: number } | null> {
  const { prometheus, status } = source;
  const stepMs = prometheus.stepSeconds * 1000;
  const now = deps.clock.now().getTime();
  const since = status.polledUntil ? Date.parse(status.polledUntil) + stepMs : (release.startedAt?.getTime() ?? now);
  // Whole steps only, so the same instant is always the same point (stored once however often it is read).
  const start = Math.ceil(since / stepMs) * stepMs;
  // The newest instant read lags now by half a step (at most 15 s): its samples have been scraped by then,
  // so a step is not read while its counters are still arriving (it is never read again).
  const settled = now - Math.min(stepMs / 2, 15_000);
  const end = Math.min(Math.floor(settled / stepMs) * stepMs, start + (MAX_STEPS_PER_QUERY - 1) * stepMs);
  if (end < start && !force) return null;
  if (end < start) return { stored: 0, points: [], polledUntil: status.polledUntil ? Date.parse(status.polledUntil) : start - stepMs };

  const points: TScalarPoint[] = [];
  for (const q of prometheus.queries) {
    const values = {
      ...prometheus.labels,
      service: release.service,
      version: release.version,
      cohort: q.cohort,
      release_id: release.id,
      step: `${prometheus.stepSeconds}s`,
    };
    const query = fillPromql(q.query, values);
    // Shutting down: the next query would hold the close for its whole timeout.
    deps.signal?.throwIfAborted();
    let series;
    try {
      series = await queryRange({ baseUrl: prometheus.url, query, startMs: start, endMs: end, stepSeconds: prometheus.stepSeconds, timeoutMs: deps.timeoutMs ?? 10_000, client: deps.outbound, ...(deps.signal ? { signal: deps.signal } : {}) });
    } catch (error) {
      if (error instanceof PrometheusError) throw new PrometheusError(`${error.message} (query for ${q.metric}, ${q.cohort})`, error.detail);
      throw error;
    }
    for (const [ts, raw] of combine(q.metric, series)) {
      // health_ok from e.g. min(up{...}): anything above zero is passing.
      const value = q.metric === 'health_ok' ? (raw > 0 ? 1 : 0) : raw;
      const point = ZScalarPoint.safeParse({ ts, cohort: q.cohort, metric: q.metric, value });
      if (point.success) points.push(point.data);
    }
  }
  let stored = 0;
  for (let i = 0; i < points.length; i += MAX_POINTS_PER_REQUEST) {
    const batch: TMetricPointInput[] = points.slice(i, i + MAX_POINTS_PER_REQUEST);
    stored += (await ingestMetrics(deps, release.id, batch)).stored;
  }
  return { stored, points, polledUntil: end };
}

export function startPrometheusPoller(options: TPollerOptions): TPrometheusPoller {
  const { db, clock, log } = options;
  const intervalMs = options.intervalMs ?? 5000;
  const instanceId = randomUUID();
  const lease = new Lease(db, 'prometheus', instanceId, Math.max(3 * intervalMs, 3000));
  let leader = false;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  /** Aborted on stop: a query waiting on a slow Prometheus must not hold the shutdown for its timeout. */
  const shutdown = new AbortController();

  async function recordOutage(release: TReleaseRow, source: TStoredMetricsSource, message: string): Promise<boolean> {
    const nowDate = clock.now();
    const previous = source.status.error;
    const status: TMetricsSourceStatus = {
      ...source.status,
      error: { message, since: previous?.since ?? nowDate.toISOString(), failures: (previous?.failures ?? 0) + 1 },
    };
    const started = previous === null;
    await db.$transaction(async (tx) => {
      await writeStatus(tx, release.id, status);
      if (!started) return;
      const { revision } = await tx.release.findUniqueOrThrow({ where: { id: release.id }, select: { revision: true } });
      await recordEvents(
        tx,
        release.id,
        revision,
        PROMETHEUS_POLLER,
        [{ type: 'metrics.source_error', reason: message, data: { source: 'prometheus', url: source.prometheus.url, message, gates: 'inconclusive until Prometheus answers again' } }],
        nowDate,
      );
    });
    return started;
  }

  async function pollOne(release: TReleaseRow, force: boolean): Promise<void> {
    const source = parseStoredSource(release.metricsSource);
    if (!source) return;
    try {
      const result = await pollRelease({ db, clock, outbound: options.outbound, signal: shutdown.signal, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }, release, source, force);
      if (!result) return;
      const recovered = source.status.error !== null;
      await writeStatus(db, release.id, { polledUntil: new Date(result.polledUntil).toISOString(), lastSuccessAt: clock.now().toISOString(), error: null });
      if (recovered) log.info({ releaseId: release.id, url: source.prometheus.url }, 'prometheus: source answers again');
      if (result.stored > 0 || recovered) options.onPolled?.(release.id, { stored: result.stored, points: result.points, error: null, outageStarted: false });
    } catch (error) {
      // Cut short by the shutdown: the source did not fail, so nothing is recorded.
      if (shutdown.signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof PrometheusError)) log.error({ err: error, releaseId: release.id }, 'prometheus: polling failed');
      const started = await recordOutage(release, source, message);
      if (started) {
        // The remote's own words stay in the server's log: the status and event say only what Rampart saw.
        const detail = error instanceof PrometheusError ? error.detail : null;
        log.warn({ releaseId: release.id, url: source.prometheus.url, message, detail }, 'prometheus: source failing');
        options.onPolled?.(release.id, { stored: 0, points: [], error: message, outageStarted: true });
      }
    }
  }

  async function pass(force = false): Promise<void> {
    try {
      leader = await lease.acquire();
    } catch (error) {
      leader = false;
      log.warn({ err: error }, 'prometheus: could not renew the lease');
    }
    if (!leader || stopped) return;
    const releases = await db.release.findMany({
      where: { state: { in: ['running', 'paused', 'rolling_back'] } },
      select: { id: true, service: true, version: true, startedAt: true, metricsSource: true },
    });
    for (const release of releases) {
      if (stopped) return;
      if (release.metricsSource === null) continue;
      await pollOne(release, force);
    }
  }

  function serially(work: () => Promise<void>): Promise<void> {
    running = running.then(work, work).catch((error: unknown) => log.error({ err: error }, 'prometheus: pass failed'));
    return running;
  }

  const timer = setInterval(() => void serially(() => pass()), intervalMs);
  timer.unref();
  void serially(() => pass());

  return {
    instanceId,
    isLeader: () => leader,
    tick: (o) => serially(() => pass(o?.force ?? false)),
    async stop() {
      stopped = true;
      clearInterval(timer);
      shutdown.abort();
      await running;
      if (leader) await lease.release().catch(() => undefined);
    },
  };
}
