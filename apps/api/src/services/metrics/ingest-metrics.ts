// Stores a batch of metric points in one transaction: scalars with one multi-row INSERT from arrays
// (one round trip for 10,000 points), histograms likewise. A point sent again (same release, metric,
// cohort and time) is a no-op, so pipelines may retry freely.
import type { THistogramPoint, TMetricPointInput, TScalarPoint } from '@rampart/contracts';
import { ServiceError, invalidBody, notFound } from '../../errors.js';
import { isFinished } from '@rampart/domain';
import type { TServiceContext } from '../context.js';
import { inTransaction } from '../releases/transaction.js';

/** Points stamped further ahead than this are refused: a pipeline's clock is off, or ms and s are mixed up. */
const MAX_FUTURE_MS = 5 * 60_000;

function isHistogram(point: TMetricPointInput): point is THistogramPoint {
  return 'buckets' in point;
}

export interface TIngestResult {
  accepted: number;
  stored: number;
  /** The scalar points as stored, for the live stream. */
  scalars: TScalarPoint[];
}

export async function ingestMetrics(
  ctx: Pick<TServiceContext, 'db' | 'clock'>,
  releaseId: string,
  points: TMetricPointInput[],
): Promise<TIngestResult> {
  const latest = ctx.clock.now().getTime() + MAX_FUTURE_MS;
  const future = points.findIndex((p) => (p.ts as number) > latest);
  if (future >= 0) throw invalidBody(`points.${future}.ts`, 'is more than 5 minutes in the future');

  const release = await ctx.db.release.findUnique({ where: { id: releaseId }, select: { state: true } });
  if (!release) throw notFound('Release');
  if (isFinished(release.state)) {
    throw new ServiceError('conflict', `The release is ${release.state.replace('_', ' ')}; it takes no more metrics`, { state: release.state });
  }

  const scalars = points.filter((p): p is TScalarPoint => !isHistogram(p));
  const histograms = points.filter(isHistogram);
  const stored = await inTransaction(ctx.db, async (tx) => {
    let inserted = 0;
    if (scalars.length > 0) {
      inserted += await tx.$executeRaw`
        INSERT INTO "MetricPoint" ("releaseId", cohort, metric, ts, value)
        SELECT ${releaseId}::uuid, c::"Cohort", m, to_timestamp(t / 1000.0), v
        FROM unnest(${scalars.map((p) => p.cohort)}::text[], ${scalars.map((p) => p.metric)}::text[],
                    ${scalars.map((p) => p.ts)}::float8[], ${scalars.map((p) => p.value)}::float8[]) AS u(c, m, t, v)
        ON CONFLICT DO NOTHING`;
    }
    if (histograms.length > 0) {
      const rows = histograms.map((p) => ({
        cohort: p.cohort,
        metric: p.metric,
        ts: p.ts,
        // JSON has no infinity; PostgreSQL's float8 reads the word.
        bounds: p.buckets.map((b) => (b.le === '+Inf' ? 'Infinity' : b.le)),
        counts: p.buckets.map((b) => b.count),
      }));
      inserted += await tx.$executeRaw`
        INSERT INTO "MetricHistogram" ("releaseId", cohort, metric, ts, bounds, counts)
        SELECT ${releaseId}::uuid, r.cohort::"Cohort", r.metric, to_timestamp(r.ts / 1000.0), r.bounds, r.counts
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          AS r(cohort text, metric text, ts float8, bounds float8[], counts float8[])
        ON CONFLICT DO NOTHING`;
    }
    return inserted;
  });
  return { accepted: points.length, stored, scalars };
}
