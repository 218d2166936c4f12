// One HTTP attempt: POST the signed body through the outbound client (policy checked, address pinned,
// no redirect followed), give up after the timeout. The outcome records the status and a fixed message,
// never the receiver's answer: the delivery log is read by people the receiver's owner may not trust.
import type { TOutboundClient } from '../outbound/outbound-client.js';
import { failureOf } from '../outbound/outbound-client.js';
import { signedHeaders } from './signing.js';

export interface TSendInput {
  url: string;
  /** The current secret first, then the one a rotation replaced while the overlap lasts. */
  secrets: readonly string[];
  body: string;
  eventType: string;
  deliveryId: string;
  idempotencyKey: string;
  timeoutMs: number;
  /** Aborts the attempt early (the instance is shutting down). */
  signal?: AbortSignal;
  now?: Date;
}

export type TSendResult =
  | { ok: true; statusCode: number }
  | { ok: false; statusCode: number | null; error: string; aborted?: boolean };

export function deliveryHeaders(input: Omit<TSendInput, 'url' | 'timeoutMs' | 'signal'>): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Rampart-Webhooks/2',
    'x-rampart-event': input.eventType,
    'x-rampart-delivery': input.deliveryId,
    'idempotency-key': input.idempotencyKey,
    ...signedHeaders({ secrets: input.secrets, messageId: input.idempotencyKey, timestamp: input.now ?? new Date(), body: input.body }),
  };
}

export async function sendDelivery(client: TOutboundClient, input: TSendInput): Promise<TSendResult> {
  const timeout = AbortSignal.timeout(input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([timeout, input.signal]) : timeout;
  try {
    const response = await client.fetch(input.url, { method: 'POST', headers: deliveryHeaders(input), body: input.body, signal });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
    if (response.status >= 300 && response.status < 400) {
      return { ok: false, statusCode: response.status, error: `HTTP ${response.status}: redirects are not followed` };
    }
    return { ok: false, statusCode: response.status, error: `HTTP ${response.status} from the receiver` };
  } catch (error) {
    if (input.signal?.aborted) return { ok: false, statusCode: null, error: 'aborted: shutting down', aborted: true };
    if (timeout.aborted) return { ok: false, statusCode: null, error: `timed out after ${input.timeoutMs} ms` };
    const { code, cause } = failureOf(error);
    // The policy's refusal is Rampart's own text; any other failure is told by its code alone.
    if (code === 'OUTBOUND_REFUSED' && cause) return { ok: false, statusCode: null, error: `refused: ${cause.message}`.slice(0, 500) };
    return { ok: false, statusCode: null, error: `could not reach the receiver (${code})` };
  }
}
