// The loop: every few seconds the instance holding the lease judges every active release and acts.
// A nudge (new metric points arrived) judges one release at once, so a sustained breach is acted on
// within moments of the point that completes it rather than at the next tick.
//
// Work never queues up: the next timed pass is scheduled when the previous one ends (a fixed interval
// would pile passes behind a slow one without bound, and verdicts would trail the points further and
// further), at most one pass and one batch of nudges wait behind the running work, and both take what
// is due when they start, not when they were asked for.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/prisma.js';
import type { TEvaluation } from './evaluate-release.js';
import { evaluateRelease } from './evaluate-release.js';
import { Lease } from './lease.js';
import { pruneMetrics } from '../services/metrics/prune-metrics.js';

export interface TAutopilotOptions {
  db: Db;
  clock: Clock;
  intervalMs: number;
  log: FastifyBaseLogger;
  /** Metric points of releases finished longer ago than this are pruned by the lease holder, hourly. */
  metricsRetentionDays?: number;
  /** Called after each evaluation, e.g. to push the analysis to live dashboards. */
  onEvaluated?: (releaseId: string, evaluation: TEvaluation) => void;
  /** Told how long passes take and how late verdicts come (the /metrics histograms). */
  observer?: TAutopilotObserver;
}

export interface TAutopilotObserver {
  /** A full pass over the active releases ended after this many wall-clock seconds. */
  passEnded(seconds: number): void;
  /**
   * A verdict included points that arrived this many wall-clock seconds before it was stored: the
   * oldest such point's wait, so the figure is the worst any point of the release waited.
   */
  verdictLag(seconds: number): void;
}

export interface TAutopilot {
  readonly instanceId: string;
  /** Judges one release soon, if this instance leads. */
  nudge(releaseId: string): void;
  /** One full pass now (tests and benchmarks); resolves when done. */
  tick(): Promise<void>;
  isLeader(): boolean;
  stop(): Promise<void>;
}

const LEASE_NAME = 'autopilot';
const PRUNE_EVERY_MS = 3600_000;

export function startAutopilot(options: TAutopilotOptions): TAutopilot {
  const { db, clock, log } = options;
  const instanceId = randomUUID();
  // A lease outlives three missed renewals, so a busy instance keeps it and a dead one loses it within seconds.
  const lease = new Lease(db, LEASE_NAME, instanceId, Math.max(3 * options.intervalMs, 3000));
  let leader = false;
  let stopped = false;
  /** The work running now and the work queued behind it: never more than one pass and one nudge batch. */
  let running: Promise<void> = Promise.resolve();
  let queuedPass: Promise<void> | null = null;
  let nudgesQueued = false;
  const nudged = new Set<string>();
  let nudgeTimer: NodeJS.Timeout | undefined;
  let passTimer: NodeJS.Timeout | undefined;
  let prunedAt = 0;
  /** Per release, when (performance.now()) its oldest point not yet judged arrived. */
  const waitingSince = new Map<string, number>();

  async function pruneWhenDue(): Promise<void> {
    const now = clock.now();
    if (!options.metricsRetentionDays || now.getTime() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = now.getTime();
    try {
      const pruned = await pruneMetrics(db, now, options.metricsRetentionDays);
      if (pruned.points + pruned.histograms > 0) log.info(pruned, 'pruned metric points of long-finished releases');
    } catch (error) {
      log.warn({ err: error }, 'could not prune old metric points');
    }
  }

  function arrived(releaseId: string): void {
    if (!waitingSince.has(releaseId)) waitingSince.set(releaseId, performance.now());
  }

  async function evaluate(releaseId: string): Promise<void> {
    // Points that arrive from here on may miss this evaluation's read, so they wait for the next one.
    const since = waitingSince.get(releaseId);
    waitingSince.delete(releaseId);
    try {
      const evaluation = await evaluateRelease({ db, clock }, releaseId);
      if (!evaluation) return;
      if (since !== undefined) options.observer?.verdictLag((performance.now() - since) / 1000);
      if (evaluation.acted) log.info({ releaseId, action: evaluation.acted, reason: evaluation.decision }, 'autopilot acted');
      options.onEvaluated?.(releaseId, evaluation);
    } catch (error) {
      if (since !== undefined) waitingSince.set(releaseId, Math.min(since, waitingSince.get(releaseId) ?? since));
      log.error({ err: error, releaseId }, 'autopilot could not judge a release');
    }
  }

  /** Runs work after whatever runs now, never two at once. */
  function serially(work: () => Promise<void>): Promise<void> {
    running = running.then(work, work);
    return running;
  }

  /** A full pass that starts after the running work; callers asking while one waits share it. */
  function requestPass(): Promise<void> {
    queuedPass ??= serially(async () => {
      queuedPass = null;
      const began = performance.now();
      if (await pass()) options.observer?.passEnded((performance.now() - began) / 1000);
    });
    return queuedPass;
  }

  /** Judges the nudged releases after the running work, taking the ones nudged by the time it starts. */
  function requestNudged(): void {
    if (nudgesQueued) return;
    nudgesQueued = true;
    void serially(async () => {
      nudgesQueued = false;
      const ids = [...nudged];
      nudged.clear();
      for (const id of ids) {
        if (stopped) return;
        await evaluate(id);
      }
    });
  }

  /** The timed loop: the next pass is due an interval after the previous one ended. */
  function scheduleNextPass(): void {
    if (stopped) return;
    passTimer = setTimeout(() => void timedPass(), options.intervalMs);
  }

  async function timedPass(): Promise<void> {
    try {
      await requestPass();
    } catch (error) {
      log.error({ err: error }, 'autopilot pass failed');
    }
    scheduleNextPass();
  }

  /** Judges every active release if this instance leads; says whether it did. */
  async function pass(): Promise<boolean> {
    try {
      leader = await lease.acquire();
    } catch (error) {
      leader = false;
      log.warn({ err: error }, 'autopilot could not renew its lease');
    }
    if (!leader || stopped) {
      // Another instance judges; what arrived here is not this instance's to time.
      waitingSince.clear();
      return false;
    }
    await pruneWhenDue();
    const active = await db.release.findMany({ where: { state: { in: ['running', 'paused'] } }, select: { id: true } });
    for (const { id } of active) {
      if (stopped) return false;
      await evaluate(id);
    }
    return true;
  }

  void timedPass();

  return {
    instanceId,
    isLeader: () => leader,
    tick: async () => {
      await requestPass();
    },
    nudge(releaseId) {
      if (!leader || stopped) return;
      arrived(releaseId);
      nudged.add(releaseId);
      nudgeTimer ??= setTimeout(() => {
        nudgeTimer = undefined;
        requestNudged();
      }, 50);
    },
    async stop() {
      stopped = true;
      clearTimeout(passTimer);
      clearTimeout(nudgeTimer);
      await running;
      if (leader) await lease.release().catch(() => undefined);
    },
  };
}
