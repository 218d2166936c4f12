// Reads what the judgement engine needs straight from PostgreSQL, already binned (date_bin, with the
// release's start as the bins' origin): one row per metric, cohort and 10-second bin, however many points
// arrived. Only the bins the gates can look at are read: the trailing windows of the current stage, and the
// bins a sequential gate has not folded yet (none older, when the previous evaluation's carry is given).
import type { TCohort, TGateSpec } from '@rampart/contracts';
import type { TBin, TCohortSeries, THistogramBin, TJudgementCarry, TJudgementInput } from '@rampart/domain';
import { MAX_WINDOW_SECONDS } from '@rampart/domain';
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
  stage: { key: string; enteredAt: Date; trafficPercent: number; initialDelaySeconds?: number };
  gates: TGateSpec[];
  now: Date;
  carry?: TJudgementCarry | null;
}

const HEALTH_LOOKBACK_SECONDS = 300;
/** Slack beyond a gate's own span: the longest trailing window, a five-minute gap, a bin still filling. */
const LOOKBACK_SLACK_SECONDS = MAX_WINDOW_SECONDS + 300 + BIN_SECONDS;

/** The earliest time any gate of this stage can read now. */
export function readFrom(scope: TJudgementScope): number {
  const stageStart = scope.stage.enteredAt.getTime();
  const now = scope.now.getTime();
  let from = now;
  for (const gate of scope.gates) {
    if (gate.kind === 'sequential') {
      // Without a carry for this stage the gate folds the stage from its start, once.
      const carried = scope.carry?.sequential[gate.key];
      from = Math.min(from, carried && carried.stage === scope.stage.key ? carried.nextBin : stageStart);
      continue;
    }
    // A run of failed health checks is read back at most this far (or its failingFor span).
    const span = gate.kind === 'consecutive_failures' ? Math.max(gate.failingForSeconds ?? 0, HEALTH_LOOKBACK_SECONDS) : (gate.sustainSeconds ?? 0);
    from = Math.min(from, now - (span + LOOKBACK_SLACK_SECONDS) * 1000);
  }
  const origin = scope.startedAt.getTime();
  const earliest = Math.max(stageStart, origin, Math.min(from, now - LOOKBACK_SLACK_SECONDS * 1000));
  // From the start of the bin holding it, so that no bin is read in part.
  const binMs = BIN_SECONDS * 1000;
  return origin + Math.floor((earliest - origin) / binMs) * binMs;
}

export async function loadJudgementInput(db: Db | Tx, scope: TJudgementScope): Promise<TJudgementInput> {
  const { releaseId } = scope;
  const origin = scope.startedAt.getTime();
  const from = readFrom(scope);
  const to = scope.now.getTime();
  const [scalarRows, histogramRows, boundRows] = await Promise.all([
    db.$queryRaw<TScalarRow[]>`
      SELECT metric, cohort::text AS cohort,
             (extract(epoch FROM date_bin(make_interval(secs => ${BIN_SECONDS}), ts, to_timestamp(${origin} / 1000.0))) * 1000)::float8 AS t,
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
               (extract(epoch FROM date_bin(make_interval(secs => ${BIN_SECONDS}), h.ts, to_timestamp(${origin} / 1000.0))) * 1000)::float8 AS t,
               sum(u.c) AS c
        FROM "MetricHistogram" h, unnest(h.counts) WITH ORDINALITY AS u(c, i)
        WHERE h."releaseId" = ${releaseId}::uuid AND h.ts >= to_timestamp(${from} / 1000.0) AND h.ts <= to_timestamp(${to} / 1000.0)
        GROUP BY h.metric, h.cohort, t, u.i
      ) binned
      GROUP BY metric, cohort, t
      ORDER BY t`,
    // A histogram's bounds are taken from its latest window read; pipelines keep them fixed.
    db.$queryRaw<{ metric: string; bounds: number[] }[]>`
      SELECT DISTINCT ON (metric) metric, bounds FROM "MetricHistogram"
      WHERE "releaseId" = ${releaseId}::uuid AND ts >= to_timestamp(${from} / 1000.0) AND ts <= to_timestamp(${to} / 1000.0)
      ORDER BY metric, ts DESC`,
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
    stage: {
      key: scope.stage.key,
      enteredAt: scope.stage.enteredAt.getTime(),
      trafficPercent: scope.stage.trafficPercent,
      initialDelaySeconds: scope.stage.initialDelaySeconds,
    },
    releaseStartedAt: origin,
    gates: scope.gates,
    scalars,
    histograms,
  };
}
