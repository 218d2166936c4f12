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

export const ZWebhookSecret = z.string().min(16, 'must be at least 16 characters').max(256, 'must be at most 256 characters');

const ZEventNames = z
  .array(ZWebhookEventName)
  .min(1, 'give at least one event type, or "*"')
  .max(50)
  .transform((names) => [...new Set(names)]);

export const ZCreateWebhookBody = z.object({
  url: ZWebhookUrl,
  secret: ZWebhookSecret,
  events: ZEventNames,
  format: ZWebhookFormat.default('json'),
  enabled: z.boolean().default(true),
});
export type TCreateWebhookBody = z.infer<typeof ZCreateWebhookBody>;

export const ZUpdateWebhookBody = z
  .object({
    url: ZWebhookUrl.optional(),
    /** A new secret (rotation): pending deliveries are signed with it from now on. */
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
