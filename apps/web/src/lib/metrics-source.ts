// The metrics-source form without zod (it stays out of the initial bundle): the fields a person fills,
// the body PUT /metrics-source takes, the mistakes worth catching before the round trip, and the
// source's state in words. The API checks the same body again with ZPrometheusSource.
import type { TAnalysis, TCohort, TMetricsSourceView, TPrometheusSourceInput } from '@rampart/contracts';
import { formatRelative } from './format';

/** The metrics the gates read; error_rate is derived from these two, so it has no query of its own. */
export const SOURCE_METRICS = ['requests', 'errors', 'latency_p95_ms'] as const;
/** What each query must return: the poller stores counts per step for these two, not rates. */
export const SOURCE_METRIC_LABELS: Record<(typeof SOURCE_METRICS)[number], string> = {
  requests: 'Requests (count per step)',
  errors: 'Errors (count per step)',
  latency_p95_ms: 'P95 latency (ms)',
};
export const SOURCE_COHORTS: TCohort[] = ['canary', 'baseline'];
const BUILT_IN = ['service', 'version', 'cohort', 'release_id', 'step'];

export interface TSourceForm {
  url: string;
  stepSeconds: string;
  /** Keyed "metric/cohort"; a blank query is left out. */
  queries: Record<string, string>;
  /** Kept from a saved source: the form does not edit them. */
  labels: Record<string, string>;
}

export const queryKey = (metric: string, cohort: string) => `${metric}/${cohort}`;

export function formFromSource(view: TMetricsSourceView | null | undefined): TSourceForm {
  const source = view?.prometheus;
  const queries: Record<string, string> = {};
  for (const q of source?.queries ?? []) queries[queryKey(q.metric, q.cohort)] = q.query;
  return { url: source?.url ?? '', stepSeconds: String(source?.stepSeconds ?? 30), queries, labels: source?.labels ?? {} };
}

export type TFormCheck = { ok: true; body: TPrometheusSourceInput } | { ok: false; field: string; message: string };

/** The PUT body, or the first field that is wrong, named as the API would name it. */
export function sourceBody(form: TSourceForm): TFormCheck {
  const url = form.url.trim();
  if (!/^https?:\/\/[^\s/]/.test(url) || !URL.canParse(url)) {
    return { ok: false, field: 'url', message: 'must be the Prometheus base URL, such as http://prometheus:9090' };
  }
  const step = Number(form.stepSeconds);
  if (!Number.isInteger(step) || step < 1 || step > 3600) return { ok: false, field: 'stepSeconds', message: 'must be whole seconds from 1 to 3600' };
  const known = new Set([...BUILT_IN, ...Object.keys(form.labels)]);
  const queries: TPrometheusSourceInput['queries'] = [];
  for (const [key, raw] of Object.entries(form.queries)) {
    const query = raw.trim();
    if (!query) continue;
    const [metric, cohort] = key.split('/') as [string, TCohort];
    const unknown = [...query.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1]!).find((name) => !known.has(name));
    if (unknown) return { ok: false, field: `queries.${key}`, message: `unknown placeholder {{${unknown}}} (known: ${[...known].join(', ')})` };
    queries.push({ metric, cohort, query });
  }
  if (queries.length === 0) return { ok: false, field: 'queries', message: 'give at least one query' };
  return { ok: true, body: { url, stepSeconds: step, labels: form.labels, queries } };
}

export type TSourceState = { tone: 'good' | 'bad' | 'warn' | 'neutral'; text: string };

/** How polling goes, in words; the API never passes on what Prometheus answered, so neither does this. */
export function describeSource(view: TMetricsSourceView | null | undefined, now: number): TSourceState {
  if (!view?.prometheus) return { tone: 'neutral', text: 'No metrics source: Rampart only has the points pushed to it.' };
  const status = view.status;
  if (status?.error) {
    const n = status.error.failures;
    return {
      tone: 'bad',
      text: `Prometheus fails since ${formatRelative(status.error.since, now)} (${n} ${n === 1 ? 'failure' : 'failures'}): ${status.error.message}. Gates it feeds are inconclusive.`,
    };
  }
  if (status?.lastSuccessAt) return { tone: 'good', text: `Prometheus answered ${formatRelative(status.lastSuccessAt, now)}; metrics flow.` };
  return { tone: 'warn', text: 'Saved; Rampart has not polled Prometheus yet.' };
}

/** True when the page has nothing to judge by: no source and no points in any gate's window. */
export function hasNoMetrics(analysis: TAnalysis | null | undefined, source: TMetricsSourceView | null | undefined): boolean {
  if (source?.prometheus) return false;
  return !analysis || analysis.gates.every((gate) => gate.evidence.sampleSize === 0);
}

export const NO_METRICS_TEXT = 'No metrics yet: connect a source or push points.';
