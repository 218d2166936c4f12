// One HTTP attempt: POST the signed body, never follow a redirect, give up after the timeout.
import { signatureOf } from './signing.js';

export interface TSendInput {
  url: string;
  secret: string;
  body: string;
  eventType: string;
  deliveryId: string;
  idempotencyKey: string;
  timeoutMs: number;
  /** Aborts the attempt early (the instance is shutting down). */
  signal?: AbortSignal;
  nowSeconds?: number;
}

export type TSendResult =
  | { ok: true; statusCode: number }
  | { ok: false; statusCode: number | null; error: string; aborted?: boolean };

export function deliveryHeaders(input: Omit<TSendInput, 'url' | 'timeoutMs' | 'signal'>): Record<string, string> {
  const timestamp = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'Rampart-Webhooks/1',
    'x-rampart-event': input.eventType,
    'x-rampart-delivery': input.deliveryId,
    'idempotency-key': input.idempotencyKey,
    'x-rampart-timestamp': String(timestamp),
    'x-rampart-signature': signatureOf(input.secret, timestamp, input.body),
  };
}

const MAX_ERROR_CHARS = 500;

async function snippet(response: Response): Promise<string> {
  try {
    const text = (await response.text()).trim();
    return text === '' ? '' : `: ${text.slice(0, 200)}`;
  } catch {
    return '';
  }
}

export async function sendDelivery(input: TSendInput): Promise<TSendResult> {
  const timeout = AbortSignal.timeout(input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([timeout, input.signal]) : timeout;
  try {
    const response = await fetch(input.url, {
      method: 'POST',
      headers: deliveryHeaders(input),
      body: input.body,
      redirect: 'manual',
      signal,
    });
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: true, statusCode: response.status };
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      return { ok: false, statusCode: response.status, error: `HTTP ${response.status}: redirects are not followed${location ? ` (to ${location})` : ''}`.slice(0, MAX_ERROR_CHARS) };
    }
    return { ok: false, statusCode: response.status, error: `HTTP ${response.status}${await snippet(response)}`.slice(0, MAX_ERROR_CHARS) };
  } catch (error) {
    if (input.signal?.aborted) return { ok: false, statusCode: null, error: 'aborted: shutting down', aborted: true };
    if (timeout.aborted) return { ok: false, statusCode: null, error: `timed out after ${input.timeoutMs} ms` };
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const message = cause instanceof Error ? `${(cause as NodeJS.ErrnoException).code ?? cause.name}: ${cause.message}` : String(cause);
    return { ok: false, statusCode: null, error: message.slice(0, MAX_ERROR_CHARS) };
  }
}
