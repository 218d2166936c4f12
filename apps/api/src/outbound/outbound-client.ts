// The one way the server makes requests of its own. Its dispatcher resolves each new connection's host
// itself, checks the addresses against the outbound policy and connects to the address it checked, so a
// name that answers a public address to the check and a private one to the connection (DNS rebinding)
// gets nowhere. Redirects are never followed: a 3xx is handed back as it is.
import { Agent, buildConnector, fetch } from 'undici';
import type { Response } from 'undici';
import type { TOutboundAllow } from './outbound-policy.js';
import { resolveAllowed } from './outbound-policy.js';

export interface TOutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface TOutboundClient {
  fetch(url: string | URL, request?: TOutboundRequest): Promise<Response>;
  close(): Promise<void>;
}

export function createOutboundClient(allow: TOutboundAllow, options: { connectTimeoutMs?: number } = {}): TOutboundClient {
  const connect = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000 });
  const dispatcher = new Agent({
    connect(target, callback) {
      resolveAllowed(allow, target.hostname).then(
        // The TLS server name still comes from the URL's host, so certificates are checked against the name.
        ({ address }) => connect({ ...target, hostname: address }, callback),
        (error: Error) => callback(error, null),
      );
    },
  });
  return {
    fetch: (url, request = {}) =>
      fetch(url, {
        method: request.method ?? 'GET',
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        redirect: 'manual',
        dispatcher,
      }),
    close: () => dispatcher.close(),
  };
}

/** The code of a failed request's cause (ECONNREFUSED, OUTBOUND_REFUSED, ...), or its name. */
export function failureOf(error: unknown): { code: string; cause: Error | null } {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error instanceof Error ? error : null;
  const given = (cause as { code?: unknown } | null)?.code;
  // DOMException's code is a number (23 for a timeout): its name says more.
  const code = typeof given === 'string' ? given : (cause?.name ?? 'Error');
  return { code, cause };
}
