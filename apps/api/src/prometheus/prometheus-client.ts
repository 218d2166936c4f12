// A minimal client for Prometheus' HTTP API: GET {url}/api/v1/query_range, through the outbound client
// (policy checked, address pinned, no redirect followed). Every way it can go wrong (refused, unreachable,
// timeout, non-2xx, an error answer, a result that is not a matrix) becomes one PrometheusError. Its
// message is shown to everyone who may read the release, so it holds the status and Rampart's own words,
// never the remote answer: that goes to `detail`, for the server's log only.
import type { TOutboundClient } from '../outbound/outbound-client.js';
import { failureOf } from '../outbound/outbound-client.js';
import type { Response } from 'undici';

export class PrometheusError extends Error {
  constructor(
    message: string,
    /** What the remote said, for the server's log: never stored or shown. */
    readonly detail: string | null = null,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}

/** Prometheus' own error types: a fixed list, so naming one repeats nothing the remote chose. */
const ERROR_TYPES = new Set(['bad_data', 'timeout', 'canceled', 'execution', 'internal', 'unavailable', 'not_found', 'not_acceptable']);
/** A query_range answer larger than this is refused rather than read into memory. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

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
  client: TOutboundClient;
  /** Aborts the query early (the server is shutting down). */
  signal?: AbortSignal;
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
  const timeoutMs = q.timeoutMs ?? 10_000;
  const where = `Prometheus at ${q.baseUrl}`;
  let status: number;
  let text: string;
  try {
    const response = await q.client.fetch(url, { signal: q.signal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), q.signal]) : AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    status = response.status;
    text = await readCapped(response.body, where);
  } catch (error) {
    if (error instanceof PrometheusError) throw error;
    const { code, cause } = failureOf(error);
    if (code === 'OUTBOUND_REFUSED' && cause) throw new PrometheusError(`${where} is refused: ${cause.message}`);
    const why = code === 'TimeoutError' || code === 'AbortError' ? `no answer within ${timeoutMs} ms` : code;
    throw new PrometheusError(`${where} is unreachable (${why})`, cause?.message ?? null);
  }
  let body: TPromAnswer | null;
  try {
    body = JSON.parse(text) as TPromAnswer;
  } catch {
    body = null;
  }
  if (status >= 300 && status < 400) throw new PrometheusError(`${where} answered HTTP ${status}: redirects are not followed`);
  if (status < 200 || status >= 300 || body?.status !== 'success') {
    const type = body?.errorType && ERROR_TYPES.has(body.errorType) ? `, ${body.errorType}` : '';
    throw new PrometheusError(`${where} refused the query (HTTP ${status}${type})`, body?.error ?? text.slice(0, 500));
  }
  if (body.data?.resultType !== 'matrix' || !Array.isArray(body.data.result)) {
    throw new PrometheusError(`${where} answered something other than a matrix; query_range gives one`);
  }
  return body.data.result.map((series) => ({
    labels: series.metric ?? {},
    values: (series.values ?? [])
      .map(([t, v]): [number, number] => [Math.round(t * 1000), Number(v)])
      .filter(([, v]) => Number.isFinite(v)),
  }));
}

async function readCapped(stream: Response['body'], where: string): Promise<string> {
  if (!stream) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || !value) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new PrometheusError(`${where} answered more than ${MAX_ANSWER_BYTES / 1024 / 1024} MB; narrow the query`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
