// A minimal client for Prometheus' HTTP API: GET {url}/api/v1/query_range. Every way it can go wrong
// (unreachable, timeout, non-2xx, an error answer, a result that is not a matrix) becomes one
// PrometheusError with a message a person can act on.
export class PrometheusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusError';
  }
}

export interface TRangeSeries {
  labels: Record<string, string>;
  /** [epoch ms, value]; NaN and infinities are dropped. */
  values: [number, number][];
}

export interface TRangeQuery {
  baseUrl: string;
  query: string;
  /** Epoch ms, inclusive; Prometheus evaluates at start, start + step, ... <= end. */
  startMs: number;
  endMs: number;
  stepSeconds: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface TPromAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; values?: [number, string][] }[] };
}

export async function queryRange(q: TRangeQuery): Promise<TRangeSeries[]> {
  const url = new URL('api/v1/query_range', q.baseUrl.endsWith('/') ? q.baseUrl : `${q.baseUrl}/`);
  url.searchParams.set('query', q.query);
  url.searchParams.set('start', (q.startMs / 1000).toFixed(3));
  url.searchParams.set('end', (q.endMs / 1000).toFixed(3));
  url.searchParams.set('step', `${q.stepSeconds}s`);
  let response: Response;
  try {
    response = await (q.fetch ?? fetch)(url, { signal: AbortSignal.timeout(q.timeoutMs ?? 10_000), headers: { accept: 'application/json' } });
  } catch (error) {
    const err = error as Error;
    const cause = err.cause instanceof Error ? err.cause.message : err.name === 'TimeoutError' ? `no answer within ${q.timeoutMs ?? 10_000} ms` : err.message;
    throw new PrometheusError(`Prometheus at ${q.baseUrl} is unreachable: ${cause}`);
  }
  const text = await response.text();
  let body: TPromAnswer | null;
  try {
    body = JSON.parse(text) as TPromAnswer;
  } catch {
    body = null;
  }
  if (!response.ok || body?.status !== 'success') {
    const detail = body?.error ? `${body.errorType ?? 'error'}: ${body.error}` : `HTTP ${response.status} ${text.slice(0, 200)}`;
    throw new PrometheusError(`Prometheus at ${q.baseUrl} refused the query: ${detail}`);
  }
  if (body.data?.resultType !== 'matrix' || !Array.isArray(body.data.result)) {
    throw new PrometheusError(`Prometheus at ${q.baseUrl} answered a ${body.data?.resultType ?? 'missing'} result; query_range gives a matrix`);
  }
  return body.data.result.map((series) => ({
    labels: series.metric ?? {},
    values: (series.values ?? [])
      .map(([t, v]): [number, number] => [Math.round(t * 1000), Number(v)])
      .filter(([, v]) => Number.isFinite(v)),
  }));
}
