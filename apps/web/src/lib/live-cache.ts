// Pure merge rules for what the live stream pushes into the query cache. Tested in apps/web/test.
import type { TLiveMetricPoint, TRelease, TReleaseEvent, TReleaseSummary, TSeries } from '@rampart/contracts';

// ---------------------------------------------------------------- releases

/** A pushed release replaces the cached one unless the cache already holds a later revision. */
export function newerRelease<T extends { revision: number }>(current: T | undefined, incoming: T): T {
  if (!current) return incoming;
  return incoming.revision >= current.revision ? incoming : current;
}

/** Put a summary into a cached list: replaced in place, or added when it matches the list's filter. */
export function upsertSummary<L extends { releases: TReleaseSummary[]; total: number }>(
  list: L | undefined,
  incoming: TReleaseSummary | TRelease,
  matches: (s: TReleaseSummary) => boolean,
): L | undefined {
  if (!list) return list;
  const summary = toSummary(incoming);
  const index = list.releases.findIndex((r) => r.id === summary.id);
  if (index >= 0) {
    const current = list.releases[index]!;
    if (current.revision > summary.revision) return list;
    if (!matches(summary)) {
      return { ...list, releases: list.releases.filter((r) => r.id !== summary.id), total: Math.max(0, list.total - 1) };
    }
    const releases = list.releases.slice();
    releases[index] = summary;
    return { ...list, releases };
  }
  if (!matches(summary)) return list;
  return { ...list, releases: [summary, ...list.releases], total: list.total + 1 };
}

export function toSummary(release: TReleaseSummary | TRelease): TReleaseSummary {
  const {
    id, service, version, owner, playbook, state, currentStage, stageCount, desiredPercent,
    acknowledgedPercent, revision, createdAt, updatedAt, startedAt, finishedAt, rollbackProcedure,
  } = release;
  return {
    id, service, version, owner, playbook, state, currentStage, stageCount, desiredPercent,
    acknowledgedPercent, revision, createdAt, updatedAt, startedAt, finishedAt, rollbackProcedure,
  };
}

// ---------------------------------------------------------------- events

/** Event ids are decimal strings that grow with time (up to 18 digits): compare without losing precision. */
export function compareEventIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest first, each id once. */
export function mergeEvents(existing: readonly TReleaseEvent[], incoming: readonly TReleaseEvent[]): TReleaseEvent[] {
  const byId = new Map<string, TReleaseEvent>();
  for (const event of existing) byId.set(event.id, event);
  for (const event of incoming) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => compareEventIds(b.id, a.id));
}

export function latestEventId(events: readonly TReleaseEvent[]): string | null {
  let latest: string | null = null;
  for (const event of events) if (latest === null || compareEventIds(event.id, latest) > 0) latest = event.id;
  return latest;
}

/**
 * A pushed batch says which event came just before it. If that is not the latest one we hold,
 * something was missed and the events must be refetched.
 */
export function hasEventGap(known: readonly TReleaseEvent[], previousId: string | null): boolean {
  const latest = latestEventId(known);
  if (previousId === null) return false;
  if (latest === null) return true;
  return compareEventIds(previousId, latest) > 0;
}

/**
 * Filling a gap after a reconnect pages back (newest first) until a page reaches an event we already
 * hold: true when the pages fetched so far overlap what is known (or there is nothing older to fetch).
 */
export function gapClosed(knownLatest: string | null, fetched: readonly TReleaseEvent[], nextBefore: string | null): boolean {
  if (knownLatest === null || nextBefore === null) return true;
  return fetched.some((event) => compareEventIds(event.id, knownLatest) <= 0);
}

// ---------------------------------------------------------------- metric series

export interface ChartPoint {
  t: number;
  v: number | null;
}

/** One cached chart series: the HTTP answer plus what the stream added since, aligned to its steps. */
export interface LiveSeries {
  metric: string;
  fromMs: number;
  stepMs: number;
  /** Points at or after this were not in the HTTP answer and come from the stream. */
  fetchedTo: number;
  canary: ChartPoint[];
  baseline: ChartPoint[];
  /** Running sums per cohort and bucket start, for points that arrived over the stream. */
  acc: Record<'canary' | 'baseline', Record<number, { sum: number; n: number; errors: number; requests: number }>>;
}

export const COUNTER_METRICS = new Set(['requests', 'errors']);

export function fromSeries(series: TSeries): LiveSeries {
  return {
    metric: series.metric,
    fromMs: Date.parse(series.from),
    stepMs: series.stepSeconds * 1000,
    fetchedTo: Date.parse(series.to),
    canary: series.canary,
    baseline: series.baseline,
    acc: { canary: {}, baseline: {} },
  };
}

/** The raw metrics a chart of `metric` is folded from. */
export function sourceMetrics(metric: string): string[] {
  return metric === 'error_rate' ? ['errors', 'requests'] : [metric];
}

function bucketStart(series: LiveSeries, ts: number): number {
  return series.fromMs + Math.floor((ts - series.fromMs) / series.stepMs) * series.stepMs;
}

/**
 * Fold pushed raw points into a series: each lands in its step's bucket (a sum for counters, a mean
 * for gauges, errors / requests for error_rate), and points the HTTP answer already covered are dropped.
 */
export function foldPoints(series: LiveSeries, points: readonly TLiveMetricPoint[]): LiveSeries {
  const wanted = sourceMetrics(series.metric);
  const relevant = points.filter((p) => wanted.includes(p.metric) && p.ts >= series.fetchedTo && p.ts >= series.fromMs);
  if (relevant.length === 0) return series;
  const acc = { canary: { ...series.acc.canary }, baseline: { ...series.acc.baseline } };
  const byT = {
    canary: new Map(series.canary.map((p) => [p.t, p])),
    baseline: new Map(series.baseline.map((p) => [p.t, p])),
  };
  const touched = { canary: new Set<number>(), baseline: new Set<number>() };
  for (const point of relevant) {
    const t = bucketStart(series, point.ts);
    let bucket = acc[point.cohort][t];
    if (!bucket) {
      // The bucket the HTTP answer ended in already holds what came before: start from its value.
      const http = byT[point.cohort].get(t)?.v;
      const seeded = http !== undefined && http !== null && series.metric !== 'error_rate';
      bucket = { sum: seeded ? http : 0, n: seeded ? 1 : 0, errors: 0, requests: 0 };
    } else {
      bucket = { ...bucket };
    }
    if (series.metric === 'error_rate') {
      if (point.metric === 'errors') bucket.errors += point.value;
      else bucket.requests += point.value;
    } else {
      bucket.sum += point.value;
      bucket.n += 1;
    }
    acc[point.cohort][t] = bucket;
    touched[point.cohort].add(t);
  }
  const valueOf = (a: { sum: number; n: number; errors: number; requests: number }): number | null => {
    if (series.metric === 'error_rate') return a.requests > 0 ? a.errors / a.requests : null;
    if (COUNTER_METRICS.has(series.metric)) return a.sum;
    return a.n > 0 ? a.sum / a.n : null;
  };
  const apply = (cohort: 'canary' | 'baseline', original: ChartPoint[]): ChartPoint[] => {
    if (touched[cohort].size === 0) return original;
    const map = byT[cohort];
    for (const t of touched[cohort]) {
      const value = valueOf(acc[cohort][t]!);
      map.set(t, { t, v: value ?? map.get(t)?.v ?? null });
    }
    return [...map.values()].sort((a, b) => a.t - b.t);
  };
  return { ...series, acc, canary: apply('canary', series.canary), baseline: apply('baseline', series.baseline) };
}

/** Drop points older than the window, so a long-open page never grows without bound. */
export function trimSeries(series: LiveSeries, oldest: number): LiveSeries {
  const first = series.canary[0]?.t ?? Infinity;
  const firstBaseline = series.baseline[0]?.t ?? Infinity;
  if (first >= oldest && firstBaseline >= oldest) return series;
  return {
    ...series,
    canary: series.canary.filter((p) => p.t >= oldest),
    baseline: series.baseline.filter((p) => p.t >= oldest),
  };
}

/** The start of the last bucket the series holds: where a catch-up fetch begins. */
export function lastPointTime(series: LiveSeries): number | null {
  const a = series.canary.at(-1)?.t;
  const b = series.baseline.at(-1)?.t;
  if (a === undefined && b === undefined) return null;
  return Math.max(a ?? -Infinity, b ?? -Infinity);
}

/** Replace everything from `since` on with a catch-up answer fetched on the same step grid. */
export function spliceCatchUp(series: LiveSeries, catchUp: TSeries, since: number): LiveSeries {
  const keep = (points: ChartPoint[]) => points.filter((p) => p.t < since);
  return {
    ...series,
    fetchedTo: Date.parse(catchUp.to),
    canary: [...keep(series.canary), ...catchUp.canary],
    baseline: [...keep(series.baseline), ...catchUp.baseline],
    acc: { canary: {}, baseline: {} },
  };
}

// ---------------------------------------------------------------- reconnecting

/** Exponential backoff with a cap and up to 20% jitter: 0.5 s, 1 s, 2 s, ... 30 s. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 + 0.2 * random()));
}
