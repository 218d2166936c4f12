// What the hub loads from the database when a notice arrives: the release as the API shows it, the
// events a change appended, the metric points of a batch, the latest analysis.
import { ZAnalysis, ZReleaseSummary } from '@rampart/contracts';
import type { TAnalysis, TLiveMetricPoint, TRelease, TReleaseEvent, TReleaseSummary } from '@rampart/contracts';
import type { Clock } from '../clock.js';
import type { Db } from '../db/prisma.js';
import { ServiceError } from '../errors.js';
import { getRelease } from '../services/releases/get-release.js';
import { toEventDto } from '../services/releases/list-events.js';

export interface TLiveSource {
  /** The release DTO of GET /api/releases/:id, or null if it does not exist (any more). */
  release(id: string): Promise<TRelease | null>;
  /** Events of a release with ids in [from, to], oldest first, and the id of the one before `from`. */
  events(releaseId: string, from: bigint, to: bigint): Promise<{ previousId: string | null; events: TReleaseEvent[] }>;
  /** Scalar points of a release with ts in [from, to] (epoch ms). */
  points(releaseId: string, from: number, to: number): Promise<TLiveMetricPoint[]>;
  analysis(releaseId: string): Promise<TAnalysis | null>;
}

const SUMMARY_KEYS = Object.keys(ZReleaseSummary.shape) as (keyof TReleaseSummary)[];

/** The summary fields of a full release DTO (the DTO extends the summary). */
export function summaryOf(release: TRelease): TReleaseSummary {
  return Object.fromEntries(SUMMARY_KEYS.map((key) => [key, release[key]])) as TReleaseSummary;
}

/** At most this many points per push from another instance's batch; the client refetches beyond. */
const MAX_LOADED_POINTS = 20_000;

export function databaseSource(db: Db, clock: Clock): TLiveSource {
  return {
    async release(id) {
      try {
        return await getRelease({ db, clock }, id);
      } catch (error) {
        if (error instanceof ServiceError && error.kind === 'not_found') return null;
        throw error;
      }
    },
    async events(releaseId, from, to) {
      const [rows, before] = await Promise.all([
        db.releaseEvent.findMany({ where: { releaseId, id: { gte: from, lte: to } }, orderBy: { id: 'asc' } }),
        db.releaseEvent.findFirst({ where: { releaseId, id: { lt: from } }, orderBy: { id: 'desc' }, select: { id: true } }),
      ]);
      return {
        previousId: before ? before.id.toString() : null,
        events: rows.map(toEventDto),
      };
    },
    async points(releaseId, from, to) {
      const rows = await db.metricPoint.findMany({
        where: { releaseId, ts: { gte: new Date(from), lte: new Date(to) } },
        orderBy: { ts: 'asc' },
        take: MAX_LOADED_POINTS,
      });
      return rows.map((row) => ({ ts: row.ts.getTime(), cohort: row.cohort, metric: row.metric, value: row.value }));
    },
    async analysis(releaseId) {
      const row = await db.release.findUnique({ where: { id: releaseId }, select: { analysis: true } });
      const parsed = ZAnalysis.safeParse(row?.analysis);
      return parsed.success ? parsed.data : null;
    },
  };
}
