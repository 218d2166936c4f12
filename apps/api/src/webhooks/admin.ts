// The admin's verbs on webhooks and their delivery log. The secret is stored to sign with and never
// returned (except once, when Rampart generated it): answers carry its last four characters so an admin
// can tell which one is set.
import { randomBytes } from 'node:crypto';
import type { TCreateWebhookBody, TDeliveryStatus, TUpdateWebhookBody, TWebhook, TWebhookDelivery, TWebhookFormat } from '@rampart/contracts';
import type { Webhook, WebhookDelivery } from '../generated/prisma/client.js';
import { notFound } from '../errors.js';
import { assertOutboundUrl } from '../outbound/assert-url.js';
import type { TOutboundAllow } from '../outbound/outbound-policy.js';
import type { TServiceContext } from '../services/context.js';
import { ROTATION_OVERLAP_HOURS } from './signing.js';
import { assertTargetAllowed } from './targets.js';

type TCtx = Pick<TServiceContext, 'db'>;

/** Where targets may point: the admin's host list (null: any) within the server's outbound policy. */
export interface TTargetRules {
  allowedHosts: readonly string[] | null;
  outbound: TOutboundAllow;
}

async function assertTarget(url: string, rules: TTargetRules): Promise<void> {
  assertTargetAllowed(url, rules.allowedHosts);
  await assertOutboundUrl(rules.outbound, url, 'url');
}

export const secretHint = (secret: string) => `…${secret.slice(-4)}`;

async function counts(ctx: TCtx, webhookIds: string[]) {
  const grouped = await ctx.db.webhookDelivery.groupBy({
    by: ['webhookId', 'status'],
    where: { webhookId: { in: webhookIds }, status: { in: ['pending', 'failed'] } },
    _count: { _all: true },
  });
  const of = (id: string, status: TDeliveryStatus) => grouped.find((g) => g.webhookId === id && g.status === status)?._count._all ?? 0;
  return { of };
}

/** When the secret a rotation replaced stops signing; null when there is none or its time is over. */
function overlapEnd(row: Webhook): Date | null {
  if (!row.previousSecret || !row.secretRotatedAt) return null;
  const end = new Date(row.secretRotatedAt.getTime() + ROTATION_OVERLAP_HOURS * 3600_000);
  return end.getTime() > Date.now() ? end : null;
}

/** A Standard Webhooks secret: whsec_ and the base64 of 32 random bytes. */
export const generateSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

function view(row: Webhook, pending: number, failed: number): TWebhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    format: row.format as TWebhookFormat,
    enabled: row.enabled,
    secretHint: secretHint(row.secret),
    previousSecretUntil: overlapEnd(row)?.toISOString() ?? null,
    pendingDeliveries: pending,
    failedDeliveries: failed,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function viewOne(ctx: TCtx, row: Webhook): Promise<TWebhook> {
  const { of } = await counts(ctx, [row.id]);
  return view(row, of(row.id, 'pending'), of(row.id, 'failed'));
}

export function deliveryView(row: WebhookDelivery): TWebhookDelivery {
  const payload = row.payload as { eventId?: unknown } | null;
  return {
    id: row.id,
    webhookId: row.webhookId,
    releaseId: row.releaseId,
    eventType: row.eventType,
    eventId: typeof payload?.eventId === 'string' ? payload.eventId : null,
    idempotencyKey: row.idempotencyKey,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

async function findWebhook(ctx: TCtx, id: string): Promise<Webhook> {
  const row = await ctx.db.webhook.findUnique({ where: { id } });
  if (!row) throw notFound('Webhook');
  return row;
}

export async function createWebhook(ctx: TCtx, body: TCreateWebhookBody, rules: TTargetRules): Promise<TWebhook> {
  await assertTarget(body.url, rules);
  const secret = body.secret ?? generateSecret();
  const row = await ctx.db.webhook.create({
    data: { url: body.url, secret, events: body.events, format: body.format, enabled: body.enabled },
  });
  return { ...view(row, 0, 0), ...(body.secret === undefined ? { secret } : {}) };
}

export async function listWebhooks(ctx: TCtx): Promise<TWebhook[]> {
  const rows = await ctx.db.webhook.findMany({ orderBy: { createdAt: 'asc' } });
  const { of } = await counts(ctx, rows.map((row) => row.id));
  return rows.map((row) => view(row, of(row.id, 'pending'), of(row.id, 'failed')));
}

export async function getWebhook(ctx: TCtx, id: string): Promise<TWebhook> {
  return viewOne(ctx, await findWebhook(ctx, id));
}

export async function updateWebhook(ctx: TCtx, id: string, body: TUpdateWebhookBody, rules: TTargetRules): Promise<TWebhook> {
  const current = await findWebhook(ctx, id);
  if (body.url !== undefined) await assertTarget(body.url, rules);
  // A new secret keeps the old one for the overlap period, so receivers can switch at their own pace.
  const rotated = body.secret !== undefined && body.secret !== current.secret;
  const row = await ctx.db.webhook.update({
    where: { id },
    data: {
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(rotated ? { secret: body.secret, previousSecret: current.secret, secretRotatedAt: new Date() } : {}),
      ...(body.events !== undefined ? { events: body.events } : {}),
      ...(body.format !== undefined ? { format: body.format } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    },
  });
  return viewOne(ctx, row);
}

/** Deletes the webhook and its delivery log (pending deliveries are dropped). */
export async function deleteWebhook(ctx: TCtx, id: string): Promise<TWebhook> {
  const row = await findWebhook(ctx, id);
  const answer = await viewOne(ctx, row);
  await ctx.db.webhook.delete({ where: { id } });
  return answer;
}

export async function listDeliveries(
  ctx: TCtx,
  id: string,
  query: { status?: TDeliveryStatus | undefined; limit: number; offset: number },
): Promise<{ deliveries: TWebhookDelivery[]; total: number; limit: number; offset: number }> {
  await findWebhook(ctx, id);
  const where = { webhookId: id, ...(query.status ? { status: query.status } : {}) };
  const [rows, total] = await Promise.all([
    ctx.db.webhookDelivery.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit, skip: query.offset }),
    ctx.db.webhookDelivery.count({ where }),
  ]);
  return { deliveries: rows.map(deliveryView), total, limit: query.limit, offset: query.offset };
}

/**
 * Queues a delivery again, whatever its status, with a fresh retry window and the same idempotency key
 * (a receiver that already handled it may ignore it). It goes before later events of its release.
 */
export async function redeliver(ctx: TCtx, id: string, deliveryId: string): Promise<TWebhookDelivery> {
  const existing = await ctx.db.webhookDelivery.findFirst({ where: { id: deliveryId, webhookId: id } });
  if (!existing) throw notFound('Delivery');
  const [row] = await ctx.db.$queryRaw<WebhookDelivery[]>`
    UPDATE "WebhookDelivery"
    SET status = 'pending', attempts = 0, "nextAttemptAt" = now(), "createdAt" = now(), "deliveredAt" = NULL
    WHERE id = ${deliveryId}::uuid
    RETURNING *`;
  if (!row) throw notFound('Delivery');
  return deliveryView(row);
}
