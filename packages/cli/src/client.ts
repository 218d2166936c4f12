// The HTTP side of the CLI: one base URL and one bearer token, every answer checked against the
// API's own zod contracts, so a server of another version fails loudly instead of half-working.
import type { z } from 'zod';
import { CliExit, EXIT } from './exit-codes.js';

export interface TClientOptions {
  url: string;
  token: string | undefined;
  /** Per request, ms. Default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** An answer the API gave with a non-2xx status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class RampartClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: TClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  get authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  async request<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown, signal?: AbortSignal): Promise<z.infer<S>> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: { ...this.authHeaders, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new CliExit(EXIT.error, `Cannot reach Rampart at ${this.baseUrl} (${(error as Error).message}${cause})`);
    }
    const text = await response.text();
    let json: unknown = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
    }
    if (!response.ok) {
      const message = typeof json === 'object' && json !== null && 'message' in json ? String((json as { message: unknown }).message) : text || response.statusText;
      throw new ApiError(response.status, json, `${method} ${path}: ${response.status} ${message}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliExit(EXIT.error, `Unexpected answer from ${method} ${path} (${issue?.path.join('.') || 'body'}: ${issue?.message}); is the CLI the same version as the server?`);
    }
    return parsed.data;
  }

  get<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal) {
    return this.request('GET', path, schema, undefined, signal);
  }

  post<S extends z.ZodType>(path: string, schema: S, body: unknown, signal?: AbortSignal) {
    return this.request('POST', path, schema, body, signal);
  }

  /** ws:// or wss:// for the same server. */
  websocketUrl(path: string): string {
    return `${this.baseUrl.replace(/^http/, 'ws')}${path}`;
  }
}
