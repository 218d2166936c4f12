// A release's metrics from Prometheus instead of (or beside) pushes: per metric and cohort a PromQL
// query, run as query_range over each poll's window. Placeholders in a query are filled from the
// release: {{service}}, {{version}}, {{cohort}}, {{release_id}}, {{step}} (the step as a range such as
// "15s", for increase(...[{{step}}])), and every key of `labels`. Values are escaped for PromQL strings.
import { z } from 'zod';
import { ZIsoDate, ZUuid } from './common.js';
import { ZCohort } from './enums.js';
import { ZMetricName } from './metrics.js';

export const PROMETHEUS_BUILT_IN_PLACEHOLDERS = ['service', 'version', 'cohort', 'release_id', 'step'] as const;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The placeholder names a query uses, in order of appearance. */
export function promqlPlaceholders(query: string): string[] {
  return [...query.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Escapes a value for a PromQL double-quoted string (label matchers). */
export function escapePromqlString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Fills a query's placeholders; an unknown one is left as is (the schema refuses those up front). */
export function fillPromql(query: string, values: Record<string, string>): string {
  return query.replace(PLACEHOLDER, (whole, name: string) => (name in values ? escapePromqlString(values[name]!) : whole));
}

export const ZPrometheusQuery = z
  .object({
    metric: ZMetricName.describe('requests, errors (counts per step), latency_p95_ms, health_ok, or a business metric'),
    cohort: ZCohort,
    query: z.string().trim().min(1).max(4000).describe('PromQL; e.g. sum(increase(http_requests_total{service="{{service}}",cohort="{{cohort}}"}[{{step}}]))'),
  })
  .strict();
export type TPrometheusQuery = z.infer<typeof ZPrometheusQuery>;

export const ZPrometheusSource = z
  .object({
    url: z
      .string()
      .trim()
      .max(2000)
      .refine((s) => /^https?:\/\/[^\s/]/.test(s) && URL.canParse(s), 'must be the Prometheus base URL, such as http://prometheus:9090')
      .describe('Base URL; Rampart calls {url}/api/v1/query_range'),
    stepSeconds: z.number().int().min(1).max(3600).default(30).describe('Resolution of query_range and how often Rampart polls; at least twice the scrape interval, so increase(...[{{step}}]) sees two samples'),
    labels: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a placeholder name like namespace'), z.string().max(200))
      .default({})
      .describe('Extra placeholder values, e.g. {"namespace": "shop"} for {{namespace}}'),
    queries: z.array(ZPrometheusQuery).min(1).max(64),
  })
  .strict()
  .superRefine((source, ctx) => {
    const seen = new Set<string>();
    const known = new Set<string>([...PROMETHEUS_BUILT_IN_PLACEHOLDERS, ...Object.keys(source.labels)]);
    source.queries.forEach((q, i) => {
      const key = `${q.metric}/${q.cohort}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['queries', i, 'metric'], message: `${q.metric} for the ${q.cohort} already has a query` });
      seen.add(key);
      if (q.metric === 'error_rate') {
        ctx.addIssue({ code: 'custom', path: ['queries', i, 'metric'], message: 'error_rate is derived from errors and requests; query those' });
      }
      for (const name of promqlPlaceholders(q.query)) {
        if (!known.has(name)) {
          ctx.addIssue({ code: 'custom', path: ['queries', i, 'query'], message: `unknown placeholder {{${name}}} (known: ${[...known].join(', ')})` });
        }
      }
    });
  })
  .meta({ id: 'PrometheusSource' });
export type TPrometheusSource = z.infer<typeof ZPrometheusSource>;
export type TPrometheusSourceInput = z.input<typeof ZPrometheusSource>;

/** How polling goes: the window already read, and the current outage, if any. */
export const ZMetricsSourceStatus = z.object({
  polledUntil: ZIsoDate.nullable().describe('End of the last window read successfully'),
  lastSuccessAt: ZIsoDate.nullable(),
  error: z
    .object({ message: z.string(), since: ZIsoDate, failures: z.number().int() })
    .nullable()
    .describe('Set while Prometheus is unreachable or answers errors; the gates fed by it are inconclusive meanwhile'),
});
export type TMetricsSourceStatus = z.infer<typeof ZMetricsSourceStatus>;

export const ZMetricsSourceView = z
  .object({
    releaseId: ZUuid,
    prometheus: ZPrometheusSource.nullable(),
    status: ZMetricsSourceStatus.nullable(),
  })
  .meta({ id: 'MetricsSource' });
export type TMetricsSourceView = z.infer<typeof ZMetricsSourceView>;
