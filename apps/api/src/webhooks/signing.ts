// Standard Webhooks signatures (https://www.standardwebhooks.com), made with the reference library so
// any receiver's Standard Webhooks verifier accepts them:
//   webhook-id:        the message id, the same on every retry (Rampart's idempotency key)
//   webhook-timestamp: unix seconds when the request was signed
//   webhook-signature: v1,<base64 HMAC-SHA256(key, `${id}.${timestamp}.${body}`)>, space-separated when
//                      several secrets sign (a rotation's overlap)
// The id is signed, so a captured request cannot be replayed under another id; receivers refuse
// timestamps more than 5 minutes away.
import { Webhook } from 'standardwebhooks';

/** After a rotation, deliveries are signed with the new and the old secret for this long. */
export const ROTATION_OVERLAP_HOURS = 24;

/**
 * The signer of one secret. A `whsec_` secret's key is the base64 after the prefix (the standard's form);
 * any other secret, and a `whsec_` one stored before that form was checked, is used as raw bytes, as
 * `new Webhook(secret, { format: 'raw' })` reads it on the receiver's side.
 */
export function signerOf(secret: string): Webhook {
  if (secret.startsWith('whsec_')) {
    try {
      return new Webhook(secret);
    } catch {
      // Not base64: fall through to the raw form.
    }
  }
  return new Webhook(secret, { format: 'raw' });
}

export interface TSignInput {
  /** The current secret first, then the secret a rotation replaced (while the overlap lasts). */
  secrets: readonly string[];
  messageId: string;
  timestamp: Date;
  body: string;
}

export function signatureHeader(input: TSignInput): string {
  return input.secrets.map((secret) => signerOf(secret).sign(input.messageId, input.timestamp, input.body)).join(' ');
}

export interface TSignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signedHeaders(input: TSignInput): TSignedHeaders {
  return {
    'webhook-id': input.messageId,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature': signatureHeader(input),
  };
}
