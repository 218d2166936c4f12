// Canary and baseline series of one metric, downsampled in the database so a 24-hour window comes
// back in at most MAX_SERIES_POINTS points a series whatever the ingest rate.
import type { TCohort, TSeries } from '@rampart/contracts';
import { MAX_SERIES_POINTS } from '@rampart/contracts';
import { notFound } from '../../errors.js';
import type { TServiceContext } from '../context.js';

/** Counts per window: a step's value is their sum. Every other metric is a gauge: a step's value is the mean. */
export const COUNTER_METRICS = new Set(['requests', 'errors']);
const DEFAULT_WINDOW_MS = 3600_000;

export interface TSeriesQuery {
  metric: string;
  from?: number | undefined;
  to?: number | undefined;
  step?: number | undefined;
}

interface TRow {
  cohort: TCohort;
  metric: string;
  bucket: Date;
  total: number;
  mean: number;
}

/**
 * Never finer than the judgement's 10-second bins: pipelines report counts per window of about that
 * size, and a finer step would split one window's count over empty steps (a rate chart would spike).
 */
const MIN_STEP_SECONDS = 10;

export function stepFor(fromMs: number, toMs: number, requested?: number): number {
  const minimum = Math.ceil((toMs - fromMs) / 1000 / MAX_SERIES_POINTS);
  return Math.max(requested ?? MIN_STEP_SECONDS, minimum, MIN_STEP_SECONDS);
}

export async function readSeries(ctx: Pick<TServiceContext, 'db' | 'clock'>, releaseId: string, query: TSeriesQuery): Promise<TSeries> {
  const release = await ctx.db.release.findUnique({ where: { id: releaseId }, select: { id: true } });
  if (!release) throw notFound('Release');
  const to = query.to ?? ctx.clock.now().getTime();
  const from = query.from ?? to - DEFAULT_WINDOW_MS;
  const step = stepFor(from, to, query.step);
  const derived = query.metric === 'error_rate';
  const metrics = derived ? ['errors', 'requests'] : [query.metric];

  const rows = await ctx.db.$queryRaw<TRow[]>`
    SELECT cohort::text AS cohort, metric,
           date_bin(make_interval(secs => ${step}), ts, to_timestamp(${from} / 1000.0)) AS bucket,
           sum(value)::float8 AS total, avg(value)::float8 AS mean
    FROM "MetricPoint"
    WHERE "releaseId" = ${releaseId}::uuid AND metric = ANY(${metrics}::text[])
      AND ts >= to_timestamp(${from} / 1000.0) AND ts < to_timestamp(${to} / 1000.0)
    GROUP BY cohort, metric, bucket
    ORDER BY bucket`;

  const seriesOf = (cohort: TCohort) => {
    const mine = rows.filter((r) => r.cohort === cohort);
    if (!derived) {
      return mine.map((r) => ({ t: r.bucket.getTime(), v: COUNTER_METRICS.has(r.metric) ? r.total : r.mean }));
    }
    const requests = new Map(mine.filter((r) => r.metric === 'requests').map((r) => [r.bucket.getTime(), r.total]));
    return mine
      .filter((r) => r.metric === 'errors')
      .map((r) => {
        const total = requests.get(r.bucket.getTime()) ?? 0;
        return { t: r.bucket.getTime(), v: total > 0 ? r.total / total : null };
      });
  };
  return {
    metric: query.metric,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    stepSeconds: step,
    canary: seriesOf('canary'),
    baseline: seriesOf('baseline'),
  };
}
