// What the database hands the engine: points binned by `date_bin('10 seconds', ts, <release start>)` per
// metric and cohort (sum, count, max, last), histograms summed per bin, only points with ts <= now, and a
// point repeating one already stored (same metric, cohort and ts) dropped, as `ON CONFLICT DO NOTHING` does.
import { firstAtOrAfter } from '../../../packages/domain/src/index.js';
import type { TBin, TCohortSeries, THistogramBin, TJudgementInput } from '../../../packages/domain/src/index.js';

export type TCohort = 'canary' | 'baseline';

export interface TScalarPoint {
  kind: 'scalar';
  metric: string;
  cohort: TCohort;
  ts: number;
  value: number;
}

export interface THistogramPoint {
  kind: 'histogram';
  metric: string;
  cohort: TCohort;
  ts: number;
  counts: number[];
}

export type TPoint = TScalarPoint | THistogramPoint;

export class MetricStore {
  readonly scalars: Record<string, TCohortSeries<TBin>> = {};
  readonly histograms: TJudgementInput['histograms'] = {};
  private readonly seen = new Set<string>();
  /** The ts of each scalar bin's latest point, for `last`. */
  private readonly lastTs = new Map<TBin, number>();

  constructor(
    private readonly origin: number,
    private readonly binMs: number,
    private readonly bounds: number[],
  ) {}

  private binOf(ts: number): number {
    return this.origin + Math.floor((ts - this.origin) / this.binMs) * this.binMs;
  }

  insert(point: TPoint): void {
    const key = `${point.kind}|${point.metric}|${point.cohort}|${point.ts}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const t = this.binOf(point.ts);
    if (point.kind === 'scalar') {
      const list = ((this.scalars[point.metric] ??= { canary: [], baseline: [] })[point.cohort]);
      const i = firstAtOrAfter(list, t);
      const existing = list[i];
      if (existing && existing.t === t) {
        const newer = point.ts >= (this.lastTs.get(existing) ?? -Infinity);
        const merged: TBin = {
          t,
          sum: existing.sum + point.value,
          count: existing.count + 1,
          max: Math.max(existing.max, point.value),
          last: newer ? point.value : existing.last,
        };
        this.lastTs.set(merged, newer ? point.ts : this.lastTs.get(existing)!);
        this.lastTs.delete(existing);
        list[i] = merged;
      } else {
        const bin: TBin = { t, sum: point.value, count: 1, max: point.value, last: point.value };
        this.lastTs.set(bin, point.ts);
        list.splice(i, 0, bin);
      }
      return;
    }
    const histogram = (this.histograms[point.metric] ??= { bounds: this.bounds, series: { canary: [], baseline: [] } });
    const list = histogram.series[point.cohort];
    const i = firstAtOrAfter(list, t);
    const existing = list[i];
    if (existing && existing.t === t) {
      list[i] = { t, counts: existing.counts.map((c, k) => c + (point.counts[k] ?? 0)) };
    } else {
      const bin: THistogramBin = { t, counts: point.counts.slice() };
      list.splice(i, 0, bin);
    }
  }
}
