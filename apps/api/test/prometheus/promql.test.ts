// The metrics-source contract: placeholders filled and escaped, mistakes refused up front.
import { describe, expect, it } from 'vitest';
import { ZPrometheusSource, fillPromql, promqlPlaceholders } from '@rampart/contracts';

const query = (q: string, metric = 'requests', cohort: 'canary' | 'baseline' = 'canary') => ({ metric, cohort, query: q });

describe('Prometheus source contract', () => {
  it('fills placeholders and escapes values for PromQL strings', () => {
    const q = 'sum(increase(x{service="{{service}}",v="{{ version }}"}[{{step}}]))';
    expect(promqlPlaceholders(q)).toEqual(['service', 'version', 'step']);
    expect(fillPromql(q, { service: 'shop"}) or vector(1) #', version: 'a\\b', step: '30s' })).toBe(
      'sum(increase(x{service="shop\\"}) or vector(1) #",v="a\\\\b"}[30s]))',
    );
  });

  it('defaults the step and labels, and refuses unknown placeholders, duplicates, error_rate and non-HTTP URLs', () => {
    const ok = ZPrometheusSource.parse({ url: 'http://prometheus:9090', queries: [query('sum(up{ns="{{namespace}}"})')], labels: { namespace: 'shop' } });
    expect(ok.stepSeconds).toBe(30);
    expect(ZPrometheusSource.parse({ url: 'https://p.example.com/prom/', queries: [query('up')] }).labels).toEqual({});

    const issues = (body: unknown) => ZPrometheusSource.safeParse(body).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ url: 'http://p:9090', queries: [query('x{a="{{nope}}"}')] })[0]).toMatch(/^queries\.0\.query: unknown placeholder \{\{nope\}\}/);
    expect(issues({ url: 'http://p:9090', queries: [query('a'), query('b')] })).toEqual(['queries.1.metric: requests for the canary already has a query']);
    expect(issues({ url: 'http://p:9090', queries: [query('a', 'error_rate')] })[0]).toContain('error_rate is derived');
    expect(issues({ url: 'ftp://p:9090', queries: [query('a')] })[0]).toMatch(/^url: must be the Prometheus base URL/);
    expect(issues({ url: 'http://p:9090', queries: [] })[0]).toMatch(/^queries:/);
    expect(issues({ url: 'http://p:9090', queries: [query('a')], extra: 1 })[0]).toMatch(/extra/);
  });
});
