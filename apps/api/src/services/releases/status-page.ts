import type { TReleaseState, TStatusPage } from '@rampart/contracts';
import { ACTIVE_STATES, FINISHED_STATES } from '@rampart/contracts';
import type { TServiceContext } from '../context.js';

const RECENT_HOURS = 24;

/** Degraded when rolling back or when the latest analysis of the current stage breaches a gate; healthy when it passes. */
function healthOf(state: TReleaseState, analysis: unknown, stageKey: string | null): 'healthy' | 'degraded' | 'unknown' {
  if (state === 'rolling_back' || state === 'rolled_back') return 'degraded';
  const latest = analysis as { stage?: string | null; verdict?: string } | null;
  if (!latest || latest.stage !== stageKey || (state !== 'running' && state !== 'paused')) return 'unknown';
  if (latest.verdict === 'fail' || latest.verdict === 'warn') return 'degraded';
  return latest.verdict === 'pass' ? 'healthy' : 'unknown';
}

/** What support sees without logging in: no owners, notes or reasons. */
export async function statusPage(ctx: Pick<TServiceContext, 'db' | 'clock'>): Promise<TStatusPage> {
  const now = ctx.clock.now();
  const select = {
    id: true,
    service: true,
    version: true,
    state: true,
    currentStageIndex: true,
    desiredPercent: true,
    updatedAt: true,
    analysis: true,
    stages: { select: { name: true, key: true }, orderBy: { position: 'asc' as const } },
  };
  const [active, recent] = await Promise.all([
    ctx.db.release.findMany({ where: { state: { in: [...ACTIVE_STATES] } }, select, orderBy: { updatedAt: 'desc' } }),
    ctx.db.release.findMany({
      where: { state: { in: [...FINISHED_STATES] }, finishedAt: { gte: new Date(now.getTime() - RECENT_HOURS * 3600_000) } },
      select,
      orderBy: { finishedAt: 'desc' },
      take: 20,
    }),
  ]);
  const toStatus = (row: (typeof active)[number]) => ({
    id: row.id,
    service: row.service,
    version: row.version,
    state: row.state,
    stage: row.stages[row.currentStageIndex]?.name ?? null,
    percent: row.desiredPercent,
    health: healthOf(row.state, row.analysis, row.stages[row.currentStageIndex]?.key ?? null),
    updatedAt: row.updatedAt.toISOString(),
  });
  const current = active.map(toStatus);
  const summary = current.some((r) => r.state === 'rolling_back')
    ? 'rolling_back'
    : current.some((r) => r.health === 'degraded')
      ? 'degraded'
      : current.length > 0
        ? 'rolling_out'
        : 'all_good';
  return { generatedAt: now.toISOString(), summary, active: current, recent: recent.map(toStatus) };
}
