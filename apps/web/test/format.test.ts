import type { TBlockerDto, TRelease } from '@rampart/contracts';
import { describe, expect, it } from 'vitest';
import { actionLabel, describeChanges } from '../src/components/release/actionText';
import { breachRuns, thresholdsFor, toRows } from '../src/charts/chartData';
import { bakeText, formatMetric, formatPercent, formatRelative, formatTraffic, summariseBlockers } from '../src/lib/format';

describe('formatting', () => {
  it('writes percents without trailing zeros', () => {
    expect(formatPercent(5)).toBe('5%');
    expect(formatPercent(0.5)).toBe('0.5%');
    expect(formatPercent(12.3456)).toBe('12.35%');
    expect(formatTraffic(5, 1)).toBe('5% desired · 1% applied');
    expect(formatTraffic(5, 5)).toBe('5%');
  });
  it('writes relative times and the bake countdown', () => {
    expect(formatRelative(0, 90_000)).toBe('1m ago');
    expect(formatRelative(100_000, 0)).toBe('in 1m');
    expect(bakeText(new Date(65_000).toISOString(), 0)).toEqual({ done: false, text: '1m 5s left to bake' });
    expect(bakeText(new Date(0).toISOString(), 1).done).toBe(true);
  });
  it('groups open checklist items into one blocker line', () => {
    const b = (kind: TBlockerDto['kind'], message: string): TBlockerDto => ({ kind, message, detail: {} });
    expect(
      summariseBlockers([b('approval_missing', 'needs product'), b('checklist_open', 'a'), b('checklist_open', 'b')]),
    ).toEqual(['needs product', '2 required checklist items are still open']);
    expect(summariseBlockers([b('checklist_open', 'Checklist item open: x')])).toEqual(['Checklist item open: x']);
  });
  it('formats metrics in their unit', () => {
    expect(formatMetric('error_rate', 0.0123)).toBe('1.2%');
    expect(formatMetric('error_rate', 0.004)).toBe('0.40%');
    expect(formatMetric('latency_p95_ms', 312.4)).toBe('312 ms');
    expect(formatMetric('orders', null)).toBe('n/a');
  });
});

describe('actions', () => {
  const stages = [
    { trafficPercent: 1, name: 'Canary 1%' },
    { trafficPercent: 5, name: 'Ramp 5%' },
  ] as TRelease['stages'];
  it('names the ramp by its next percent', () => {
    expect(actionLabel({ stages, currentStageIndex: 0 }, 'ramp')).toBe('Ramp to 5%');
    expect(actionLabel({ stages, currentStageIndex: -1 }, 'start')).toBe('Start at 1%');
  });
  it('says what changed when someone else acted first', () => {
    const before = { state: 'running', currentStage: { name: 'Canary 1%' }, desiredPercent: 1, revision: 4 } as TRelease;
    const after = { state: 'paused', currentStage: { name: 'Canary 1%' }, desiredPercent: 1, revision: 5 } as TRelease;
    expect(describeChanges(before, after)).toEqual([
      { label: 'State', before: 'Running', after: 'Paused' },
      { label: 'Revision', before: '4', after: '5' },
    ]);
  });
});

describe('chart data', () => {
  it('joins cohorts by time and scales error rates to percent and requests to per second', () => {
    expect(toRows([{ t: 1, v: 0.01 }], [{ t: 1, v: 0.02 }, { t: 2, v: null }], 'error_rate', 5)).toEqual([
      { t: 1, canary: 1, baseline: 2 },
      { t: 2, canary: null, baseline: null },
    ]);
    expect(toRows([{ t: 1, v: 50 }], [], 'requests', 5)[0]?.canary).toBe(10);
  });
  it('finds runs of the canary past a threshold', () => {
    const rows = [1, 5, 6, 2, 7].map((v, i) => ({ t: i, canary: v, baseline: 1 }));
    expect(breachRuns(rows, [{ value: 4, label: 'p95', bad: 'above' }])).toEqual([
      { x1: 1, x2: 2, label: 'p95' },
      { x1: 4, x2: 4, label: 'p95' },
    ]);
  });
  it('draws threshold gates from the spec until an analysis gives the live limit', () => {
    const spec = {
      gates: [{ key: 'err', name: 'Errors', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.01 }],
    } as unknown as Parameters<typeof thresholdsFor>[1];
    expect(thresholdsFor('error_rate', spec, null)).toEqual([{ value: 1, label: 'Errors', bad: 'above' }]);
  });
});
