import { z } from 'zod';
import { ZIsoDate, ZUuid } from './common.js';
import { RELEASE_EVENT_TYPES } from './events.js';

/**
 * The release events a webhook can subscribe to. Webhook outcomes (webhook.delivered, webhook.failed) are
 * recorded as release events too, but never sent: a delivery would announce a delivery, forever.
 */
export const WEBHOOK_EVENT_TYPES = RELEASE_EVENT_TYPES.filter((type) => !type.startsWith('webhook.'));
const WEBHOOK_EVENT_NAMES: [string, ...string[]] = ['*', ...WEBHOOK_EVENT_TYPES];
export const ZWebhookEventName = z.enum(WEBHOOK_EVENT_NAMES, { message: `must be one of ${WEBHOOK_EVENT_NAMES.join(', ')}` });

export const ZWebhookFormat = z.enum(['json', 'slack']);
export type TWebhookFormat = z.infer<typeof ZWebhookFormat>;

export const ZDeliveryStatus = z.enum(['pending', 'delivered', 'failed']);
export type TDeliveryStatus = z.infer<typeof ZDeliveryStatus>;

/** http or https, without credentials: the secret signs, the URL never carries one. */
export const ZWebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => URL.canParse(value), { message: 'must be an absolute http:// or https:// URL' })
  .refine((value) => !URL.canParse(value) || ['http:', 'https:'].includes(new URL(value).protocol), {
    message: 'must use http or https',
  })
  .refine((value) => !URL.canParse(value) || (new URL(value).username === '' && new URL(value).password === ''), {
    message: 'must not contain a user name or password',
  });

/** A Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes (its key). */
export const STANDARD_SECRET = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const keyBytes = (secret: string) => {
  const b64 = secret.slice('whsec_'.length);
  return (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
};

/**
 * `whsec_<base64>` (the standard's form: receivers pass it to their Standard Webhooks library as it is),
 * or any other string of printable ASCII, used as the key's raw bytes (`{ format: 'raw' }` on the receiver).
 */
export const ZWebhookSecret = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(256, 'must be at most 256 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
  .refine((secret) => !secret.startsWith('whsec_') || (STANDARD_SECRET.test(secret) && keyBytes(secret) >= 24 && keyBytes(secret) <= 64), {
    message: 'a whsec_ secret is whsec_ followed by the base64 of 24 to 64 random bytes (or omit it on create to get one)',
  });

const ZEventNames = z
  .array(ZWebhookEventName)
  .min(1, 'give at least one event type, or "*"')
  .max(50)
  .transform((names) => [...new Set(names)]);

export const ZCreateWebhookBody = z.object({
  url: ZWebhookUrl,
  /** Omitted: Rampart generates a whsec_ secret and returns it once, in the create answer. */
  secret: ZWebhookSecret.optional(),
  events: ZEventNames,
  format: ZWebhookFormat.default('json'),
  enabled: z.boolean().default(true),
});
export type TCreateWebhookBody = z.infer<typeof ZCreateWebhookBody>;

export const ZUpdateWebhookBody = z
  .object({
    url: ZWebhookUrl.optional(),
    /** A new secret (rotation): deliveries are signed with it and, for 24 hours, with the one it replaces. */
    secret: ZWebhookSecret.optional(),
    events: ZEventNames.optional(),
    format: ZWebhookFormat.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'give at least one field to change' });
export type TUpdateWebhookBody = z.infer<typeof ZUpdateWebhookBody>;

export const ZWebhook = z
  .object({
    id: ZUuid,
    url: z.string(),
    events: z.array(z.string()),
    format: ZWebhookFormat,
    enabled: z.boolean(),
    secretHint: z.string().describe('The secret\'s last 4 characters: the secret itself is never returned'),
    secret: z.string().optional().describe('Only in the answer to a create that generated the secret: keep it, it is not shown again'),
    previousSecretUntil: ZIsoDate.nullable().describe('After a rotation, the old secret also signs deliveries until then'),
    pendingDeliveries: z.number().int(),
    failedDeliveries: z.number().int(),
    createdAt: ZIsoDate,
    updatedAt: ZIsoDate,
  })
  .meta({ id: 'Webhook' });
export type TWebhook = z.infer<typeof ZWebhook>;

export const ZWebhookDelivery = z
  .object({
    id: ZUuid,
    webhookId: ZUuid,
    releaseId: ZUuid.nullable(),
    eventType: z.string(),
    eventId: z.string().nullable(),
    idempotencyKey: z.string(),
    status: ZDeliveryStatus,
    attempts: z.number().int(),
    nextAttemptAt: ZIsoDate,
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: ZIsoDate.describe('When the delivery was queued (or re-queued by a redelivery)'),
    deliveredAt: ZIsoDate.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type TWebhookDelivery = z.infer<typeof ZWebhookDelivery>;

export const ZWebhookDeliveriesQuery = z.object({
  status: ZDeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const ZWebhookDeliveryPage = z.object({
  deliveries: z.array(ZWebhookDelivery),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const ZWebhookDeliveryParams = z.object({ id: ZUuid, deliveryId: ZUuid });
