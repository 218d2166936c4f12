import type { TReleaseState, TStatusPage } from '@rampart/contracts';
import { ACTIVE_STATES, FINISHED_STATES } from '@rampart/contracts';
import { Prisma } from '../../generated/prisma/client.js';
import type { TServiceContext } from '../context.js';

const RECENT_HOURS = 24;
const RECENT_LIMIT = 20;

interface TStatusRow {
  id: string;
  service: string;
  version: string;
  state: TReleaseState;
  desiredPercent: number;
  updatedAt: Date;
  stageName: string | null;
  stageKey: string | null;
  analysisStage: string | null;
  verdict: string | null;
}

/** Degraded when rolling back or when the latest analysis of the current stage breaches a gate; healthy when it passes. */
function healthOf(row: TStatusRow): 'healthy' | 'degraded' | 'unknown' {
  const { state } = row;
  if (state === 'rolling_back' || state === 'rolled_back') return 'degraded';
  if (row.analysisStage === null || row.analysisStage !== row.stageKey || (state !== 'running' && state !== 'paused')) return 'unknown';
  if (row.verdict === 'fail' || row.verdict === 'warn') return 'degraded';
  return row.verdict === 'pass' ? 'healthy' : 'unknown';
}

// Only the analysis's stage and overall verdict are read: the stored analysis (with the engine's carry)
// is kilobytes per release, and this page lists every active one.
const columns = Prisma.sql`
  r.id, r.service, r.version, r.state::text AS state, r."desiredPercent", r."updatedAt",
  s.name AS "stageName", s.key AS "stageKey", r.analysis->>'stage' AS "analysisStage", r.analysis->>'verdict' AS verdict`;
const stageJoin = Prisma.sql`LEFT JOIN "ReleaseStage" s ON s."releaseId" = r.id AND s.position = r."currentStageIndex"`;

/** What support sees without logging in: no owners, notes or reasons. */
export async function statusPage(ctx: Pick<TServiceContext, 'db' | 'clock'>): Promise<TStatusPage> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - RECENT_HOURS * 3600_000);
  const [active, recent] = await Promise.all([
    ctx.db.$queryRaw<TStatusRow[]>`
      SELECT ${columns} FROM "Release" r ${stageJoin}
      WHERE r.state::text IN (${Prisma.join([...ACTIVE_STATES])})
      ORDER BY r."updatedAt" DESC, r.id`,
    ctx.db.$queryRaw<TStatusRow[]>`
      SELECT ${columns} FROM "Release" r ${stageJoin}
      WHERE r.state::text IN (${Prisma.join([...FINISHED_STATES])}) AND r."finishedAt" >= ${since}
      ORDER BY r."finishedAt" DESC, r.id
      LIMIT ${RECENT_LIMIT}`,
  ]);
  const toStatus = (row: TStatusRow) => ({
    id: row.id,
    service: row.service,
    version: row.version,
    state: row.state,
    stage: row.stageName,
    percent: row.desiredPercent,
    health: healthOf(row),
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
