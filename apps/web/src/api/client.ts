// Typed fetch against the Rampart API, with its error answers mapped to one ApiError class.
// Only types come from @rampart/contracts, so zod never lands in the browser's initial bundle.
import type { TBlockerDto, TRelease } from '@rampart/contracts';

export type ApiErrorKind =
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'blocked'
  | 'invalid'
  | 'server'
  | 'network';

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number;
  /** The API's stable code, e.g. stale_revision, illegal_transition, blocked. */
  readonly code: string;
  readonly field: string | undefined;
  readonly blockers: TBlockerDto[];
  /** 409 and 422 answers on a release carry the release as it is now. */
  readonly release: TRelease | undefined;
  /** From a 429's Retry-After header: how long to wait before trying again. */
  readonly retryAfterSeconds: number | null;

  constructor(status: number, body: Record<string, unknown> | null, fallback: string, retryAfter: string | null = null) {
    const message = typeof body?.message === 'string' ? body.message : fallback;
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof body?.error === 'string' ? body.error : String(status);
    this.field = typeof body?.field === 'string' ? body.field : undefined;
    this.blockers = Array.isArray(body?.blockers) ? (body.blockers as TBlockerDto[]) : [];
    this.release = body && typeof body.release === 'object' && body.release !== null ? (body.release as TRelease) : undefined;
    this.kind = kindOf(status, this.code);
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    this.retryAfterSeconds = Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
  }
}

export function kindOf(status: number, code: string): ApiErrorKind {
  if (status === 0) return 'network';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422 || code === 'blocked') return 'blocked';
  if (status === 400) return 'invalid';
  return 'server';
}

/** Words a person reads for an error, field included. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.kind === 'network') return 'The server cannot be reached. Check your connection and try again.';
    if (error.kind === 'unauthenticated') return 'Your session has ended. Sign in again.';
    if (error.kind === 'forbidden') return error.message || 'You are not allowed to do this.';
    return error.field ? `${error.field}: ${error.message}` : error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

/** Listeners told when any request answers 401, so the app can drop its session. */
const unauthenticatedListeners = new Set<() => void>();
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const init: RequestInit = {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
    signal: options.signal ?? null,
  };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, null, 'network error');
  }
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    const error = new ApiError(
      response.status,
      body as Record<string, unknown> | null,
      response.statusText || 'Request failed',
      response.headers.get('retry-after'),
    );
    if (error.kind === 'unauthenticated' && !path.startsWith('/api/auth/')) {
      unauthenticatedListeners.forEach((listener) => listener());
    }
    throw error;
  }
  return body as T;
}
