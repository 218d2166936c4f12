// The signature scheme receivers verify (documented in the README):
//   X-Rampart-Timestamp: unix seconds when the request was signed
//   X-Rampart-Signature: v1=<hex HMAC-SHA256(secret, `${timestamp}.${body}`)>
// A receiver recomputes the HMAC over the raw body, compares in constant time, and refuses a timestamp
// more than 5 minutes old (a replayed request).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_VERSION = 'v1';
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

export function signatureOf(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `${SIGNATURE_VERSION}=${digest}`;
}

export interface TVerifyInput {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  /** Unix seconds now. */
  nowSeconds: number;
  toleranceSeconds?: number;
}

/** The receiver's side of the scheme: true when the signature matches and the timestamp is fresh. */
export function verifySignature(input: TVerifyInput): boolean {
  const { secret, body, timestamp, signature, nowSeconds } = input;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const seconds = Number(timestamp);
  if (Math.abs(nowSeconds - seconds) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(signatureOf(secret, seconds, body));
  // A header may carry several signatures (during a scheme change): any one that matches will do.
  return signature
    .split(',')
    .map((part) => Buffer.from(part.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}
