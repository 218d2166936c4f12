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
import type { TEvaluation, TJudgementMemory } from './evaluate-release.js';
import { evaluateReleases } from './evaluate-release.js';
import { Lease } from './lease.js';
import { BinCache } from '../services/judgement/bin-cache.js';
import { pruneMetrics } from '../services/metrics/prune-metrics.js';
import { sendScheduledMessages } from '../services/messages/send-scheduled.js';

export interface TAutopilotOptions {
  db: Db;
  clock: Clock;
  intervalMs: number;
  /**
   * Wall-clock milliseconds a nudge waits for the pushes that arrive with it (default 50). A server whose
   * clock runs faster than the wall clock waits less, so that it acts within a second of its own time.
   */
  nudgeDelayMs?: number;
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
/** Releases judged together (their reads and writes are shared); a pass that lost its lease stops between batches. */
export const PASS_BATCH = 500;

export const DEFAULT_NUDGE_DELAY_MS = 50;

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
  /** Settled bins, playbook copies and sign-offs of the releases this leader judges: a cache, never the truth. */
  const memory: TJudgementMemory = { bins: new BinCache(), releases: new Map() };
  let renewing: Promise<void> | null = null;

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

  /** Judges a batch of releases together; a failure is logged per release and the rest go on. */
  async function evaluate(releaseIds: readonly string[]): Promise<void> {
    // Points that arrive from here on may miss this evaluation's read, so they wait for the next one.
    const since = new Map<string, number>();
    for (const id of releaseIds) {
      const at = waitingSince.get(id);
      if (at !== undefined) since.set(id, at);
      waitingSince.delete(id);
    }
    const failed = (releaseId: string, error: unknown) => {
      const at = since.get(releaseId);
      if (at !== undefined) waitingSince.set(releaseId, Math.min(at, waitingSince.get(releaseId) ?? at));
      // Whatever the failure, the next read of this release starts afresh.
      memory.bins.forget(releaseId);
      memory.releases.delete(releaseId);
      log.error({ err: error, releaseId }, 'autopilot could not judge a release');
    };
    let outcomes;
    try {
      outcomes = await evaluateReleases({ db, clock, memory }, releaseIds);
    } catch (error) {
      for (const id of releaseIds) failed(id, error);
      return;
    }
    for (const outcome of outcomes) {
      const { releaseId } = outcome;
      if (outcome.error !== undefined) {
        failed(releaseId, outcome.error);
        continue;
      }
      const evaluation = outcome.evaluation;
      if (!evaluation) continue;
      const at = since.get(releaseId);
      if (at !== undefined) options.observer?.verdictLag((performance.now() - at) / 1000);
      if (evaluation.acted) log.info({ releaseId, action: evaluation.acted, reason: evaluation.decision }, 'autopilot acted');
      options.onEvaluated?.(releaseId, evaluation);
    }
  }

  /** Renews the lease now (at most one renewal in flight); `leader` says the outcome. */
  function renew(): Promise<void> {
    renewing ??= (async () => {
      try {
        leader = await lease.acquire();
      } catch (error) {
        leader = false;
        log.warn({ err: error }, 'autopilot could not renew its lease');
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  }

  /**
   * Runs the leader's work while renewing the lease every third of its time, so that a long pass (the first
   * after a restart folds whole stages; a slow database) keeps the lease, and stops renewing when it ends.
   */
  async function renewingWhile(work: () => Promise<void>): Promise<void> {
    const timer = setInterval(() => void renew(), lease.ttlMs / 3);
    try {
      await work();
    } finally {
      clearInterval(timer);
      // A renewal still in flight settles before the work counts as done (stop() releases the lease after it).
      await renewing;
    }
  }

  /** False once the lease is lost (then what this instance remembers of the releases is dropped). */
  function stillLeader(): boolean {
    if (!leader) {
      memory.bins.clear();
      memory.releases.clear();
    }
    return leader && !stopped;
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
      let judged = false;
      await renewingWhile(async () => {
        judged = await pass();
      });
      if (judged) options.observer?.passEnded((performance.now() - began) / 1000);
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
      await renewingWhile(async () => {
        for (let i = 0; i < ids.length; i += PASS_BATCH) {
          if (!stillLeader()) return;
          await evaluate(ids.slice(i, i + PASS_BATCH));
        }
      });
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
      // Another instance judges; what arrived here is not this instance's to time, nor its bins to keep.
      waitingSince.clear();
      memory.bins.clear();
      memory.releases.clear();
      return false;
    }
    await pruneWhenDue();
    const active = await db.release.findMany({ where: { state: { in: ['running', 'paused'] } }, select: { id: true } });
    const ids = active.map((r) => r.id);
    const keep = new Set(ids);
    memory.bins.retain(keep);
    for (const id of memory.releases.keys()) if (!keep.has(id)) memory.releases.delete(id);
    for (let i = 0; i < ids.length; i += PASS_BATCH) {
      if (!stillLeader()) return false;
      await evaluate(ids.slice(i, i + PASS_BATCH));
    }
    // After judging, so an update quotes this pass's verdicts.
    await sendScheduledMessages(db, clock.now()).catch((error: unknown) => log.warn({ err: error }, 'could not send the scheduled messages'));
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
      }, options.nudgeDelayMs ?? DEFAULT_NUDGE_DELAY_MS);
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
