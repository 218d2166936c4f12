// Reads what the judgement engine needs straight from PostgreSQL, already binned (date_bin): one row
// per metric, cohort and 10-second bin since the release started, however many points arrived.
import type { TCohort, TGateSpec } from '@rampart/contracts';
import type { TBin, TCohortSeries, THistogramBin, TJudgementInput } from '@rampart/domain';
import type { Db, Tx } from '../../db/prisma.js';

export const BIN_SECONDS = 10;

interface TScalarRow {
  metric: string;
  cohort: TCohort;
  t: number;
  sum: number;
  count: number;
  max: number;
  last: number;
}

interface THistogramRow {
  metric: string;
  cohort: TCohort;
  t: number;
  counts: number[];
}

function emptySeries<B>(): TCohortSeries<B> {
  return { canary: [], baseline: [] };
}

export interface TJudgementScope {
  releaseId: string;
  startedAt: Date;
  stage: { key: string; enteredAt: Date; trafficPercent: number };
  gates: TGateSpec[];
  now: Date;
}

export async function loadJudgementInput(db: Db | Tx, scope: TJudgementScope): Promise<TJudgementInput> {
  const { releaseId } = scope;
  const from = scope.startedAt.getTime();
  const to = scope.now.getTime();
  const [scalarRows, histogramRows, boundRows] = await Promise.all([
    db.$queryRaw<TScalarRow[]>`
      SELECT metric, cohort::text AS cohort,
             (extract(epoch FROM date_bin(make_interval(secs => ${BIN_SECONDS}), ts, to_timestamp(${from} / 1000.0))) * 1000)::float8 AS t,
             sum(value)::float8 AS sum, count(*)::int AS count, max(value)::float8 AS max,
             (array_agg(value ORDER BY ts DESC))[1]::float8 AS last
      FROM "MetricPoint"
      WHERE "releaseId" = ${releaseId}::uuid AND ts >= to_timestamp(${from} / 1000.0) AND ts <= to_timestamp(${to} / 1000.0)
      GROUP BY metric, cohort, t
      ORDER BY t`,
    db.$queryRaw<THistogramRow[]>`
      SELECT metric, cohort, t, array_agg(c ORDER BY i)::float8[] AS counts
      FROM (
        SELECT h.metric, h.cohort::text AS cohort, u.i,
               (extract(epoch FROM date_bin(make_interval(secs => ${BIN_SECONDS}), h.ts, to_timestamp(${from} / 1000.0))) * 1000)::float8 AS t,
               sum(u.c) AS c
        FROM "MetricHistogram" h, unnest(h.counts) WITH ORDINALITY AS u(c, i)
        WHERE h."releaseId" = ${releaseId}::uuid AND h.ts >= to_timestamp(${from} / 1000.0) AND h.ts <= to_timestamp(${to} / 1000.0)
        GROUP BY h.metric, h.cohort, t, u.i
      ) binned
      GROUP BY metric, cohort, t
      ORDER BY t`,
    // A histogram's bounds are taken from its latest window; pipelines keep them fixed.
    db.$queryRaw<{ metric: string; bounds: number[] }[]>`
      SELECT DISTINCT ON (metric) metric, bounds FROM "MetricHistogram"
      WHERE "releaseId" = ${releaseId}::uuid ORDER BY metric, ts DESC`,
  ]);

  const scalars: Record<string, TCohortSeries<TBin>> = {};
  for (const row of scalarRows) {
    const series = (scalars[row.metric] ??= emptySeries<TBin>());
    series[row.cohort].push({ t: row.t, sum: row.sum, count: row.count, max: row.max, last: row.last });
  }
  const histograms: TJudgementInput['histograms'] = {};
  for (const { metric, bounds } of boundRows) histograms[metric] = { bounds, series: emptySeries<THistogramBin>() };
  for (const row of histogramRows) {
    const histogram = histograms[row.metric];
    if (histogram && row.counts.length === histogram.bounds.length) histogram.series[row.cohort].push({ t: row.t, counts: row.counts });
  }

  return {
    now: to,
    binSeconds: BIN_SECONDS,
    stage: { key: scope.stage.key, enteredAt: scope.stage.enteredAt.getTime(), trafficPercent: scope.stage.trafficPercent },
    releaseStartedAt: from,
    gates: scope.gates,
    scalars,
    histograms,
  };
}
