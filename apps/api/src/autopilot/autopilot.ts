// The loop: every few seconds the instance holding the lease judges every active release and acts.
// A nudge (new metric points arrived) judges one release at once, so a sustained breach is acted on
// within moments of the point that completes it rather than at the next tick.
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
  let running: Promise<void> = Promise.resolve();
  const nudged = new Set<string>();
  let nudgeTimer: NodeJS.Timeout | undefined;
  let prunedAt = 0;

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

  async function evaluate(releaseId: string): Promise<void> {
    try {
      const evaluation = await evaluateRelease({ db, clock }, releaseId);
      if (!evaluation) return;
      if (evaluation.acted) log.info({ releaseId, action: evaluation.acted, reason: evaluation.decision }, 'autopilot acted');
      options.onEvaluated?.(releaseId, evaluation);
    } catch (error) {
      log.error({ err: error, releaseId }, 'autopilot could not judge a release');
    }
  }

  /** Runs passes one after another, never two at once. */
  function serially(work: () => Promise<void>): Promise<void> {
    running = running.then(work, work);
    return running;
  }

  async function pass(): Promise<void> {
    try {
      leader = await lease.acquire();
    } catch (error) {
      leader = false;
      log.warn({ err: error }, 'autopilot could not renew its lease');
    }
    if (!leader || stopped) return;
    await pruneWhenDue();
    const active = await db.release.findMany({ where: { state: { in: ['running', 'paused'] } }, select: { id: true } });
    for (const { id } of active) {
      if (stopped) return;
      await evaluate(id);
    }
  }

  const timer = setInterval(() => void serially(pass), options.intervalMs);
  void serially(pass);

  return {
    instanceId,
    isLeader: () => leader,
    tick: () => serially(pass),
    nudge(releaseId) {
      if (!leader || stopped) return;
      nudged.add(releaseId);
      nudgeTimer ??= setTimeout(() => {
        nudgeTimer = undefined;
        const ids = [...nudged];
        nudged.clear();
        void serially(async () => {
          for (const id of ids) await evaluate(id);
        });
      }, 50);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(nudgeTimer);
      await running;
      if (leader) await lease.release().catch(() => undefined);
    },
  };
}
