// Stores a batch of metric points in one transaction: scalars with one multi-row INSERT from arrays
// (one round trip), or, for a large batch on a server that takes COPY, through COPY (copy-batch.ts);
// histograms with one INSERT from JSON. A point sent again (same release, metric,
// cohort and time) with the same value is a no-op, so pipelines may retry freely; with a different
// value it is a conflict (two pushers counting the same traffic, or a bug), and the whole batch is
// refused, since keeping either value silently would judge the canary on numbers nobody sent once.
import type { THistogramPoint, TMetricPointInput, TScalarPoint } from '@rampart/contracts';
import { ServiceError, invalidBody, notFound } from '../../errors.js';
import { isFinished } from '@rampart/domain';
import type pg from 'pg';
import type { Db, Tx } from '../../db/prisma.js';
import type { TServiceContext } from '../context.js';
import { inTransaction } from '../releases/transaction.js';
import { COPY_MIN_POINTS, copyNewScalars, copyPool, copyScalars, inPgTransaction } from './copy-batch.js';
import type { TScalarColumns } from './copy-batch.js';
import { COUNTER_HISTORY, COUNTER_METRICS, findCumulativeRun } from './cumulative-counters.js';

/** Points stamped further ahead than this are refused: a pipeline's clock is off, or ms and s are mixed up. */
const MAX_FUTURE_MS = 5 * 60_000;

function isHistogram(point: TMetricPointInput): point is THistogramPoint {
  return 'buckets' in point;
}

export interface TIngestResult {
  accepted: number;
  /** Rows this request wrote: the INSERTs' own counts, so a point already stored is not among them. */
  stored: number;
  /** Points of the batch that were not written, each equal to one stored before or earlier in the batch. */
  duplicates: number;
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

  // Each point keeps its index in the request, so a refusal names it as validation does.
  const scalars: (TScalarPoint & { index: number })[] = [];
  const histograms: (THistogramPoint & { index: number })[] = [];
  points.forEach((p, index) => (isHistogram(p) ? histograms.push({ ...p, index }) : scalars.push({ ...p, index })));

  await refuseCumulativeCounters(ctx.db, releaseId, scalars);

  const columns: TScalarColumns = {
    index: scalars.map((p) => p.index),
    cohort: scalars.map((p) => p.cohort),
    metric: scalars.map((p) => p.metric),
    ts: scalars.map((p) => p.ts),
    value: scalars.map((p) => p.value),
  };
  const pool = scalars.length >= COPY_MIN_POINTS ? copyPool(ctx.db) : undefined;
  const stored = pool
    ? await inPgTransaction(pool, async (client) => {
        if (await copyNewScalars(client, releaseId, columns)) {
          return scalars.length + (await writeBatch(pgSql(client), releaseId, { count: 0, source: '', params: [] }, histograms));
        }
        await copyScalars(client, columns);
        return writeBatch(pgSql(client), releaseId, { count: scalars.length, source: 'metric_batch', params: [] }, histograms);
      })
    : await inTransaction(ctx.db, (tx) =>
        writeBatch(prismaSql(tx), releaseId, { count: scalars.length, source: UNNEST_SCALARS, params: unnestParams(columns) }, histograms),
      );
  return { accepted: points.length, stored, duplicates: points.length - stored, scalars: scalars.map(({ index: _index, ...point }) => point) };
}

/** Raw SQL with positional parameters, on whichever connection holds the batch's transaction. */
interface TSql {
  execute(sql: string, params: unknown[]): Promise<number>;
  rows<T>(sql: string, params: unknown[]): Promise<T[]>;
}

function prismaSql(tx: Tx): TSql {
  return { execute: (sql, params) => tx.$executeRawUnsafe(sql, ...params), rows: (sql, params) => tx.$queryRawUnsafe(sql, ...params) };
}

function pgSql(client: pg.PoolClient): TSql {
  return {
    execute: async (sql, params) => (await client.query(sql, params)).rowCount ?? 0,
    rows: async <T>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as T[],
  };
}

/** The small path's scalars as a table (i, c, m, t, v) from array parameters $2 to $6 ($1 is the release). */
const UNNEST_SCALARS = 'unnest($2::int[], $3::text[], $4::text[], $5::float8[], $6::float8[]) AS u(i, c, m, t, v)';

function unnestParams(columns: TScalarColumns): unknown[] {
  return [columns.index, columns.cohort, columns.metric, columns.ts, columns.value];
}

/**
 * Inside the batch's transaction: inserts the scalars from `source` (a table of i, c, m, t, v: the
 * unnest of array parameters, or the COPY's temporary table) and the histograms, refuses conflicts,
 * and answers how many rows were written. The ORDER BY makes the first of equal keys in the batch
 * the one stored, on either path, so a refusal names the same sibling.
 */
async function writeBatch(
  sql: TSql,
  releaseId: string,
  scalars: { count: number; source: string; params: unknown[] },
  histograms: (THistogramPoint & { index: number })[],
): Promise<number> {
  let inserted = 0;
  if (scalars.count > 0) {
    const insertedHere = await sql.execute(
      `INSERT INTO "MetricPoint" ("releaseId", cohort, metric, ts, value)
       SELECT $1::uuid, c::"Cohort", m, to_timestamp(t / 1000.0), v FROM ${scalars.source} ORDER BY i
       ON CONFLICT DO NOTHING`,
      [releaseId, ...scalars.params],
    );
    // Every point new and none repeated within the batch: nothing can conflict, so bulk ingest skips the check.
    if (insertedHere < scalars.count) await refuseConflictingScalars(sql, releaseId, scalars);
    inserted += insertedHere;
  }
  if (histograms.length > 0) {
    const rows = histograms.map((p) => ({
      index: p.index,
      cohort: p.cohort,
      metric: p.metric,
      ts: p.ts,
      // JSON has no infinity; PostgreSQL's float8 reads the word.
      bounds: p.buckets.map((b) => (b.le === '+Inf' ? 'Infinity' : b.le)),
      counts: p.buckets.map((b) => b.count),
    }));
    const json = JSON.stringify(rows);
    const insertedHere = await sql.execute(
      `INSERT INTO "MetricHistogram" ("releaseId", cohort, metric, ts, bounds, counts)
       SELECT $1::uuid, r.cohort::"Cohort", r.metric, to_timestamp(r.ts / 1000.0), r.bounds, r.counts
       FROM jsonb_to_recordset($2::jsonb) AS r(cohort text, metric text, ts float8, bounds float8[], counts float8[])
       ON CONFLICT DO NOTHING`,
      [releaseId, json],
    );
    if (insertedHere < histograms.length) await refuseConflictingHistograms(sql, releaseId, json);
    inserted += insertedHere;
  }
  return inserted;
}

interface TConflict {
  index: number;
  /** Another point of this batch holding the value that was kept, if the conflict is within the batch. */
  sibling: number | null;
}

function conflictError(conflict: TConflict, field: 'value' | 'buckets'): ServiceError {
  const clash =
    conflict.sibling === null
      ? `a point already stored for the same metric, cohort and time has a different ${field === 'value' ? 'value' : 'histogram'}`
      : `points.${conflict.sibling} has the same metric, cohort and time with a different ${field === 'value' ? 'value' : 'histogram'}`;
  return invalidBody(
    `points.${conflict.index}.${field}`,
    `conflicts: ${clash}. A point may be sent again only with the same value (is a second pusher counting the same traffic?); nothing of this batch was stored`,
  );
}

/**
 * After the INSERT, inside its transaction: every point of the batch must now equal the stored point at
 * its key. One that differs met either an older point or a sibling in the batch that was inserted first;
 * throwing rolls the whole batch back. Run after (not before) the INSERT, the check also sees a
 * conflicting batch that another request committed meanwhile, since ON CONFLICT waited for it. Each
 * point is one primary-key lookup (the LIMIT keeps the planner from hashing every point of the
 * release), so a resent batch costs the same on a release 7 days old as on a new one.
 */
async function refuseConflictingScalars(sql: TSql, releaseId: string, scalars: { source: string; params: unknown[] }): Promise<void> {
  const [conflict] = await sql.rows<TConflict>(
    `WITH u AS (SELECT i, c, m, t, v FROM ${scalars.source})
     SELECT u.i AS index,
            (SELECT min(w.i) FROM u w WHERE w.c = u.c AND w.m = u.m AND w.t = u.t AND w.i <> u.i AND w.v = p.value) AS sibling
     FROM u
     CROSS JOIN LATERAL (
       SELECT value FROM "MetricPoint"
       WHERE "releaseId" = $1::uuid AND metric = u.m AND cohort = u.c::"Cohort" AND ts = to_timestamp(u.t / 1000.0)::timestamptz(3)
       LIMIT 1
     ) p
     WHERE p.value <> u.v
     ORDER BY u.i
     LIMIT 1`,
    [releaseId, ...scalars.params],
  );
  if (conflict) throw conflictError(conflict, 'value');
}

async function refuseConflictingHistograms(sql: TSql, releaseId: string, json: string): Promise<void> {
  const [conflict] = await sql.rows<TConflict>(
    `WITH r AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb)
         AS r(index int, cohort text, metric text, ts float8, bounds float8[], counts float8[])
     )
     SELECT r.index,
            (SELECT min(w.index) FROM r w
              WHERE w.cohort = r.cohort AND w.metric = r.metric AND w.ts = r.ts AND w.index <> r.index
                AND w.bounds = h.bounds AND w.counts = h.counts) AS sibling
     FROM r
     CROSS JOIN LATERAL (
       SELECT bounds, counts FROM "MetricHistogram"
       WHERE "releaseId" = $1::uuid AND metric = r.metric AND cohort = r.cohort::"Cohort" AND ts = to_timestamp(r.ts / 1000.0)::timestamptz(3)
       LIMIT 1
     ) h
     WHERE h.bounds <> r.bounds OR h.counts <> r.counts
     ORDER BY r.index
     LIMIT 1`,
    [releaseId, json],
  );
  if (conflict) throw conflictError(conflict, 'buckets');
}

/**
 * Refuses the batch if a counter series, read with the points stored just before it, looks like a
 * running total (see cumulative-counters.ts for the rules and why). Read-only, before the transaction.
 */
async function refuseCumulativeCounters(db: Db, releaseId: string, scalars: (TScalarPoint & { index: number })[]): Promise<void> {
  const series = new Map<string, (TScalarPoint & { index: number })[]>();
  for (const point of scalars) {
    if (!COUNTER_METRICS.includes(point.metric)) continue;
    // Metric names are snake_case, so a space cannot be part of either.
    const key = `${point.cohort} ${point.metric}`;
    const batch = series.get(key);
    if (batch) batch.push(point);
    else series.set(key, [point]);
  }
  if (series.size === 0) return;
  const firsts = [...series.values()].map((batch) => batch.reduce((a, b) => ((a.ts as number) <= (b.ts as number) ? a : b)));
  const history = await db.$queryRaw<{ cohort: string; metric: string; value: number }[]>`
    SELECT s.c AS cohort, s.m AS metric, h.value
    FROM unnest(${firsts.map((p) => p.cohort)}::text[], ${firsts.map((p) => p.metric)}::text[], ${firsts.map((p) => p.ts)}::float8[]) AS s(c, m, t)
    CROSS JOIN LATERAL (
      SELECT p.value, p.ts FROM "MetricPoint" p
      WHERE p."releaseId" = ${releaseId}::uuid AND p.metric = s.m AND p.cohort = s.c::"Cohort"
        AND p.ts < to_timestamp(s.t / 1000.0)::timestamptz(3)
      ORDER BY p.ts DESC
      LIMIT ${COUNTER_HISTORY}
    ) h
    ORDER BY s.c, s.m, h.ts`;
  for (const [key, batch] of series) {
    const [cohort, metric] = key.split(' ');
    const before = history.filter((h) => h.cohort === cohort && h.metric === metric).map((h) => h.value);
    const ordered = [...batch].sort((a, b) => (a.ts as number) - (b.ts as number));
    const finding = findCumulativeRun([...before, ...ordered.map((p) => p.value)], before.length);
    if (finding) {
      const point = ordered[finding.at - before.length]!;
      throw invalidBody(
        `points.${point.index}.value`,
        `${cohort} ${metric} looks cumulative (a running total): ${finding.reason}. ` +
          `Send ${metric} as per-window counts (e.g. PromQL increase(...[window]), not the raw counter); nothing of this batch was stored`,
      );
    }
  }
}
