// The judgement's reads of metric points for many releases at once, binned as the engine reads them
// (date_bin, with each release's start as its bins' origin: sum, count, max and last value of each bin,
// histogram buckets summed). Two statements whatever the number of releases, each
// walking the (releaseId, ts) index once per release from that release's own `from`: the lateral
// subqueries (kept apart from the join by OFFSET 0) make that plan certain, where a plain join would let
// the planner hash the whole table against the list of releases.
import type { TCohort } from '@rampart/contracts';
import type { TBin } from '@rampart/domain';
import type { Db, Tx } from '../../db/prisma.js';

export const BIN_SECONDS = 10;

/** One release's span to read: points with from <= ts <= to (epoch ms); bins start at origin + k × 10 s. */
export interface TBinRead {
  releaseId: string;
  origin: number;
  from: number;
}

/** One histogram bin: its buckets summed, and the bounds of its latest window (pipelines keep them fixed). */
export interface THistogramBinRow {
  t: number;
  counts: number[];
  bounds: number[];
  /** Epoch ms of the bin's latest window, which the bounds came from. */
  latest: number;
}

export interface TReleaseBins {
  scalars: Map<string, Record<TCohort, TBin[]>>;
  histograms: Map<string, Record<TCohort, THistogramBinRow[]>>;
}

export function emptyBins(): TReleaseBins {
  return { scalars: new Map(), histograms: new Map() };
}

/** One series (release, metric, cohort) of the span: its points as "t value" pairs (t: the bin's start), in time order. */
interface TScalarSeriesRow {
  index: number;
  metric: string;
  cohort: TCohort;
  points: string;
}

/** One histogram series of the span: its windows as "t ts bounds counts" (lists comma-separated), in time order. */
interface THistogramSeriesRow {
  index: number;
  metric: string;
  cohort: TCohort;
  windows: string;
}

function listOf(text: string): number[] {
  return text === '' ? [] : text.split(',').map(Number);
}

function seriesOf<B>(map: Map<string, Record<TCohort, B[]>>, metric: string): Record<TCohort, B[]> {
  let series = map.get(metric);
  if (!series) {
    series = { canary: [], baseline: [] };
    map.set(metric, series);
  }
  return series;
}

/** Every bin of every release in `reads`, each series in ascending t; releases without points get empty bins. */
export async function readBins(db: Db | Tx, reads: readonly TBinRead[], to: number): Promise<Map<string, TReleaseBins>> {
  const result = new Map<string, TReleaseBins>(reads.map((r) => [r.releaseId, emptyBins()]));
  if (reads.length === 0) return result;
  const ids = reads.map((r) => r.releaseId);
  const froms = reads.map((r) => r.from);
  const origins = reads.map((r) => r.origin);
  // One row per series, its points folded into one text: a short span holds about one point per bin and
  // series, and a row (and a parsed value) per point, or a GROUP BY per bin with an ordered aggregate for
  // its last value, costs the database and the driver several times what splitting a string does. Floats
  // print as the shortest text that reads back as the same double.
  const [scalarRows, histogramRows] = await Promise.all([
    db.$queryRaw<TScalarSeriesRow[]>`
      SELECT r.i::int AS index, p.metric, p.cohort::text AS cohort,
             string_agg(
               (extract(epoch FROM date_bin(make_interval(secs => ${BIN_SECONDS}), p.ts, to_timestamp(r.origin / 1000.0))) * 1000)::float8::text
                 || ' ' || p.value::text,
               ';' ORDER BY p.ts) AS points
      FROM unnest(${ids}::uuid[], ${froms}::float8[], ${origins}::float8[]) WITH ORDINALITY AS r(id, "from", origin, i)
      CROSS JOIN LATERAL (
        SELECT metric, cohort, ts, value FROM "MetricPoint"
        WHERE "releaseId" = r.id AND ts >= to_timestamp(r."from" / 1000.0) AND ts <= to_timestamp(${to} / 1000.0)
        OFFSET 0
      ) p
      GROUP BY r.i, p.metric, p.cohort`,
    db.$queryRaw<THistogramSeriesRow[]>`
      SELECT r.i::int AS index, h.metric, h.cohort::text AS cohort,
             string_agg(
               (extract(epoch FROM date_bin(make_interval(secs => ${BIN_SECONDS}), h.ts, to_timestamp(r.origin / 1000.0))) * 1000)::float8::text
                 || ' ' || (extract(epoch FROM h.ts) * 1000)::float8::text
                 || ' ' || array_to_string(h.bounds, ',') || ' ' || array_to_string(h.counts, ','),
               ';' ORDER BY h.ts) AS windows
      FROM unnest(${ids}::uuid[], ${froms}::float8[], ${origins}::float8[]) WITH ORDINALITY AS r(id, "from", origin, i)
      CROSS JOIN LATERAL (
        SELECT metric, cohort, ts, bounds, counts FROM "MetricHistogram"
        WHERE "releaseId" = r.id AND ts >= to_timestamp(r."from" / 1000.0) AND ts <= to_timestamp(${to} / 1000.0)
        OFFSET 0
      ) h
      GROUP BY r.i, h.metric, h.cohort`,
  ]);

  for (const row of scalarRows) {
    const bins = result.get(ids[row.index - 1]!);
    if (!bins) continue;
    const series = seriesOf(bins.scalars, row.metric)[row.cohort];
    for (const point of row.points.split(';')) {
      const [t, value] = point.split(' ').map(Number) as [number, number];
      const bin = series.at(-1);
      if (bin?.t === t) {
        bin.sum += value;
        bin.count += 1;
        if (value > bin.max) bin.max = value;
        // Points come in time order (one per time: the key), so the bin's last value is the latest point's.
        bin.last = value;
      } else series.push({ t, sum: value, count: 1, max: value, last: value });
    }
  }
  // A bin's windows are summed bucket by bucket (as SQL's sum over the buckets' ordinals would), and it
  // keeps the bounds of its latest window. Bounds repeat from window to window: parsed once, and shared.
  const boundsOf = new Map<string, number[]>();
  for (const row of histogramRows) {
    const bins = result.get(ids[row.index - 1]!);
    if (!bins) continue;
    const series = seriesOf(bins.histograms, row.metric)[row.cohort];
    for (const window of row.windows.split(';')) {
      const [tText, tsText, boundsText, countsText] = window.split(' ') as [string, string, string, string];
      const t = Number(tText);
      const ts = Number(tsText);
      let bounds = boundsOf.get(boundsText);
      if (!bounds) {
        bounds = listOf(boundsText);
        boundsOf.set(boundsText, bounds);
      }
      const counts = listOf(countsText);
      const bin = series.at(-1);
      if (bin?.t !== t) {
        series.push({ t, counts, bounds, latest: ts });
        continue;
      }
      for (let i = 0; i < counts.length; i++) bin.counts[i] = (bin.counts[i] ?? 0) + counts[i]!;
      if (ts > bin.latest) {
        bin.latest = ts;
        bin.bounds = bounds;
      }
    }
  }
  return result;
}
