import type { TReleaseEvent, TReleaseSummary, TSeries } from '@rampart/contracts';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  compareEventIds,
  foldPoints,
  fromSeries,
  gapClosed,
  hasEventGap,
  lastPointTime,
  mergeEvents,
  newerRelease,
  spliceCatchUp,
  trimSeries,
  upsertSummary,
} from '../src/lib/live-cache';

const event = (id: string): TReleaseEvent => ({
  id,
  type: 'release.paused',
  actor: { id: null, name: 'autopilot' },
  reason: null,
  data: {},
  revision: 1,
  createdAt: new Date(0).toISOString(),
});

const series = (over: Partial<TSeries> = {}): TSeries => ({
  metric: 'latency_p95_ms',
  from: new Date(0).toISOString(),
  to: new Date(10_000).toISOString(),
  stepSeconds: 5,
  canary: [{ t: 0, v: 100 }, { t: 5000, v: 120 }],
  baseline: [{ t: 0, v: 90 }],
  ...over,
});

describe('events', () => {
  it('compares ids as numbers without losing precision', () => {
    expect(compareEventIds('9', '10')).toBeLessThan(0);
    expect(compareEventIds('900000000000000001', '900000000000000000')).toBeGreaterThan(0);
  });
  it('merges newest first, each id once', () => {
    const merged = mergeEvents([event('3'), event('1')], [event('2'), event('3'), event('10')]);
    expect(merged.map((e) => e.id)).toEqual(['10', '3', '2', '1']);
  });
  it('sees a gap when the pushed batch follows an event we never got', () => {
    expect(hasEventGap([event('5'), event('4')], '5')).toBe(false);
    expect(hasEventGap([event('5')], '7')).toBe(true);
    expect(hasEventGap([], null)).toBe(false);
    expect(hasEventGap([], '1')).toBe(true);
  });
  it('stops paging back once a page reaches a known event', () => {
    expect(gapClosed('5', [event('9'), event('8')], '8')).toBe(false);
    expect(gapClosed('5', [event('9'), event('5')], '5')).toBe(true);
    expect(gapClosed('5', [event('9')], null)).toBe(true);
  });
});

describe('releases', () => {
  it('keeps the later revision', () => {
    expect(newerRelease({ revision: 4 }, { revision: 3 }).revision).toBe(4);
    expect(newerRelease({ revision: 4 }, { revision: 5 }).revision).toBe(5);
    expect(newerRelease(undefined, { revision: 1 }).revision).toBe(1);
  });
  it('upserts summaries into a filtered list', () => {
    const s = (id: string, state: TReleaseSummary['state'], revision: number) => ({ id, state, revision }) as TReleaseSummary;
    const running = (x: TReleaseSummary) => x.state === 'running';
    const list = { releases: [s('a', 'running', 1)], total: 1 };
    expect(upsertSummary(list, s('a', 'running', 2), running)?.releases[0]?.revision).toBe(2);
    expect(upsertSummary(list, s('a', 'paused', 2), running)?.releases).toEqual([]);
    expect(upsertSummary(list, s('b', 'running', 1), running)?.total).toBe(2);
    expect(upsertSummary(list, s('a', 'running', 0), running)).toBe(list);
  });
});

describe('metric points', () => {
  it('folds gauge points into their step as a mean, seeded by the bucket the HTTP answer ended in', () => {
    const live = fromSeries(series());
    const next = foldPoints(live, [
      { ts: 10_000, cohort: 'canary', metric: 'latency_p95_ms', value: 200 },
      { ts: 12_000, cohort: 'canary', metric: 'latency_p95_ms', value: 100 },
      { ts: 9_000, cohort: 'canary', metric: 'latency_p95_ms', value: 999 }, // already in the HTTP answer
      { ts: 11_000, cohort: 'canary', metric: 'requests', value: 5 }, // another metric
    ]);
    expect(next.canary).toEqual([{ t: 0, v: 100 }, { t: 5000, v: 120 }, { t: 10_000, v: 150 }]);
    expect(next.baseline).toBe(live.baseline);
  });
  it('sums counters and derives the error rate from errors and requests', () => {
    const counts = foldPoints(fromSeries(series({ metric: 'requests', canary: [] })), [
      { ts: 10_000, cohort: 'canary', metric: 'requests', value: 10 },
      { ts: 11_000, cohort: 'canary', metric: 'requests', value: 5 },
    ]);
    expect(counts.canary).toEqual([{ t: 10_000, v: 15 }]);
    const rate = foldPoints(fromSeries(series({ metric: 'error_rate', canary: [] })), [
      { ts: 10_000, cohort: 'canary', metric: 'requests', value: 200 },
      { ts: 10_500, cohort: 'canary', metric: 'errors', value: 4 },
    ]);
    expect(rate.canary).toEqual([{ t: 10_000, v: 0.02 }]);
  });
  it('returns the same object when nothing applies (no re-render)', () => {
    const live = fromSeries(series());
    expect(foldPoints(live, [{ ts: 1, cohort: 'canary', metric: 'errors', value: 1 }])).toBe(live);
  });
  it('trims points older than the window and splices a catch-up answer', () => {
    const live = fromSeries(series());
    expect(trimSeries(live, 5000).canary).toEqual([{ t: 5000, v: 120 }]);
    expect(lastPointTime(live)).toBe(5000);
    const caught = spliceCatchUp(live, series({ from: new Date(5000).toISOString(), to: new Date(20_000).toISOString(), canary: [{ t: 5000, v: 130 }, { t: 10_000, v: 140 }], baseline: [] }), 5000);
    expect(caught.canary).toEqual([{ t: 0, v: 100 }, { t: 5000, v: 130 }, { t: 10_000, v: 140 }]);
    expect(caught.fetchedTo).toBe(20_000);
  });
});

describe('reconnecting', () => {
  it('backs off exponentially up to 30 s, with bounded jitter', () => {
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(3, () => 0)).toBe(4000);
    expect(backoffDelay(20, () => 0)).toBe(30_000);
    expect(backoffDelay(20, () => 1)).toBe(36_000);
  });
});
