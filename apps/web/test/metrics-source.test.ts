import type { TAnalysis, TMetricsSourceView } from '@rampart/contracts';
import { describe, expect, it } from 'vitest';
import { describeSource, formFromSource, hasNoMetrics, sourceBody } from '../src/lib/metrics-source';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const RELEASE_ID = '00000000-0000-4000-8000-000000000001';
const view = (over: Partial<TMetricsSourceView> = {}): TMetricsSourceView => ({
  releaseId: RELEASE_ID,
  prometheus: { url: 'http://prom:9090', stepSeconds: 15, labels: { namespace: 'shop' }, queries: [{ metric: 'requests', cohort: 'canary', query: 'sum(up)' }] },
  status: { polledUntil: null, lastSuccessAt: null, error: null },
  ...over,
});

describe('the metrics-source form', () => {
  it('round-trips a saved source, keeping its labels and dropping blank queries', () => {
    const form = formFromSource(view());
    expect(form).toMatchObject({ url: 'http://prom:9090', stepSeconds: '15', queries: { 'requests/canary': 'sum(up)' } });
    const checked = sourceBody({ ...form, queries: { ...form.queries, 'errors/baseline': '  ' } });
    expect(checked).toEqual({
      ok: true,
      body: { url: 'http://prom:9090', stepSeconds: 15, labels: { namespace: 'shop' }, queries: [{ metric: 'requests', cohort: 'canary', query: 'sum(up)' }] },
    });
  });

  it('names the field that is wrong before the round trip', () => {
    const blank = formFromSource(null);
    expect(blank.stepSeconds).toBe('30');
    expect(sourceBody(blank)).toMatchObject({ ok: false, field: 'url' });
    expect(sourceBody({ ...blank, url: 'prometheus:9090' })).toMatchObject({ ok: false, field: 'url' });
    expect(sourceBody({ ...blank, url: 'http://p:9090', stepSeconds: '1.5' })).toMatchObject({ ok: false, field: 'stepSeconds' });
    expect(sourceBody({ ...blank, url: 'http://p:9090' })).toMatchObject({ ok: false, field: 'queries' });
    expect(sourceBody({ ...blank, url: 'http://p:9090', queries: { 'requests/canary': 'x{ns="{{namespace}}"}' } })).toMatchObject({
      ok: false,
      field: 'queries.requests/canary',
      message: expect.stringContaining('{{namespace}}'),
    });
  });
});

describe('the source in words', () => {
  it('says whether Prometheus answers, and why not', () => {
    expect(describeSource(view({ prometheus: null, status: null }), NOW).tone).toBe('neutral');
    expect(describeSource(view(), NOW)).toMatchObject({ tone: 'warn', text: expect.stringContaining('not polled') });
    const ok = view({ status: { polledUntil: null, lastSuccessAt: new Date(NOW - 120_000).toISOString(), error: null } });
    expect(describeSource(ok, NOW)).toEqual({ tone: 'good', text: 'Prometheus answered 2m ago; metrics flow.' });
    const failing = view({ status: { polledUntil: null, lastSuccessAt: null, error: { message: 'HTTP 503', since: new Date(NOW - 60_000).toISOString(), failures: 3 } } });
    expect(describeSource(failing, NOW)).toMatchObject({ tone: 'bad', text: expect.stringContaining('1m ago (3 failures): HTTP 503') });
  });

  it('calls a release without a source and without points what it is: no metrics', () => {
    const gate = (sampleSize: number) => ({ evidence: { sampleSize } }) as TAnalysis['gates'][number];
    const analysis = (sizes: number[]) => ({ gates: sizes.map(gate) }) as TAnalysis;
    expect(hasNoMetrics(null, view({ prometheus: null }))).toBe(true);
    expect(hasNoMetrics(analysis([0, 0]), view({ prometheus: null }))).toBe(true);
    expect(hasNoMetrics(analysis([0, 12]), view({ prometheus: null }))).toBe(false);
    expect(hasNoMetrics(null, view())).toBe(false);
  });
});
