import type { TReleaseState, TStatusPage } from '@rampart/contracts';
import { ACTIVE_STATES, FINISHED_STATES } from '@rampart/contracts';
import type { TServiceContext } from '../context.js';

const RECENT_HOURS = 24;

function healthOf(state: TReleaseState) {
  return state === 'rolling_back' || state === 'rolled_back' ? ('degraded' as const) : ('unknown' as const);
}

/** What support sees without logging in: no owners, notes or reasons. */
export async function statusPage(ctx: Pick<TServiceContext, 'db' | 'clock'>): Promise<TStatusPage> {
  const now = ctx.clock.now();
  const select = { id: true, service: true, version: true, state: true, currentStageIndex: true, desiredPercent: true, updatedAt: true, stages: { select: { name: true }, orderBy: { position: 'asc' as const } } };
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
    health: healthOf(row.state),
    updatedAt: row.updatedAt.toISOString(),
  });
  const summary = active.some((r) => r.state === 'rolling_back')
    ? 'rolling_back'
    : active.some((r) => healthOf(r.state) === 'degraded')
      ? 'degraded'
      : active.length > 0
        ? 'rolling_out'
        : 'all_good';
  return { generatedAt: now.toISOString(), summary, active: active.map(toStatus), recent: recent.map(toStatus) };
}
