// The admin's verbs on webhooks and their delivery log. The secret is stored to sign with and never
// returned: answers carry its last four characters so an admin can tell which one is set.
import type { TCreateWebhookBody, TDeliveryStatus, TUpdateWebhookBody, TWebhook, TWebhookDelivery, TWebhookFormat } from '@rampart/contracts';
import type { Webhook, WebhookDelivery } from '../generated/prisma/client.js';
import { notFound } from '../errors.js';
import type { TServiceContext } from '../services/context.js';
import { assertTargetAllowed } from './targets.js';

type TCtx = Pick<TServiceContext, 'db'>;

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

function view(row: Webhook, pending: number, failed: number): TWebhook {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    format: row.format as TWebhookFormat,
    enabled: row.enabled,
    secretHint: secretHint(row.secret),
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

export async function createWebhook(ctx: TCtx, body: TCreateWebhookBody, allowedHosts: readonly string[] | null): Promise<TWebhook> {
  assertTargetAllowed(body.url, allowedHosts);
  const row = await ctx.db.webhook.create({
    data: { url: body.url, secret: body.secret, events: body.events, format: body.format, enabled: body.enabled },
  });
  return view(row, 0, 0);
}

export async function listWebhooks(ctx: TCtx): Promise<TWebhook[]> {
  const rows = await ctx.db.webhook.findMany({ orderBy: { createdAt: 'asc' } });
  const { of } = await counts(ctx, rows.map((row) => row.id));
  return rows.map((row) => view(row, of(row.id, 'pending'), of(row.id, 'failed')));
}

export async function getWebhook(ctx: TCtx, id: string): Promise<TWebhook> {
  return viewOne(ctx, await findWebhook(ctx, id));
}

export async function updateWebhook(ctx: TCtx, id: string, body: TUpdateWebhookBody, allowedHosts: readonly string[] | null): Promise<TWebhook> {
  await findWebhook(ctx, id);
  if (body.url !== undefined) assertTargetAllowed(body.url, allowedHosts);
  const row = await ctx.db.webhook.update({
    where: { id },
    data: {
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.secret !== undefined ? { secret: body.secret } : {}),
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
