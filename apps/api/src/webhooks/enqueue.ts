// The transactional outbox: recordEvents calls this inside the change's transaction, so a delivery row
// exists exactly when the change committed. One row per (enabled webhook subscribed to the event, event).
import type { Prisma } from '../generated/prisma/client.js';
import type { Tx } from '../db/prisma.js';
import { loadRelease } from '../services/releases/release-record.js';
import { loadMessageFigures } from '../services/releases/message-figures.js';
import type { TEventRow } from './payload.js';
import { storedPayload } from './payload.js';

/** Webhook outcomes are release events too; sending them would announce deliveries of deliveries. */
export const isSendable = (type: string) => !type.startsWith('webhook.');

export const idempotencyKeyOf = (eventId: bigint | string, webhookId: string) => `${eventId.toString()}:${webhookId}`;

const REASON_EVENTS = ['release.rollback_started', 'release.paused'];

/** Returns how many deliveries were queued. Costs one query when no webhook wants these events. */
export async function enqueueWebhookDeliveries(tx: Tx, releaseId: string, events: readonly TEventRow[]): Promise<number> {
  const sendable = events.filter((event) => isSendable(event.type));
  if (sendable.length === 0) return 0;
  const types = [...new Set(sendable.map((event) => event.type))];
  const webhooks = await tx.webhook.findMany({
    where: { enabled: true, OR: [{ events: { has: '*' } }, { events: { hasSome: types } }] },
    select: { id: true, events: true },
  });
  if (webhooks.length === 0) return 0;

  const record = await loadRelease(tx, releaseId);
  // The reason the rollback and pause messages quote: the latest one, including this change's own events.
  const latest = await tx.releaseEvent.findFirst({
    where: { releaseId, type: { in: REASON_EVENTS }, reason: { not: null } },
    orderBy: { id: 'desc' },
    select: { reason: true },
  });
  const newest = sendable.reduce((at, event) => (event.createdAt > at ? event.createdAt : at), sendable[0]!.createdAt);
  const figures = await loadMessageFigures(tx, record, newest);
  const rows: Prisma.WebhookDeliveryCreateManyInput[] = [];
  for (const event of [...sendable].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const payload = storedPayload(record, event, latest?.reason ?? null, figures) as unknown as Prisma.InputJsonValue;
    for (const webhook of webhooks) {
      if (!webhook.events.includes('*') && !webhook.events.includes(event.type)) continue;
      rows.push({
        webhookId: webhook.id,
        releaseId,
        eventType: event.type,
        idempotencyKey: idempotencyKeyOf(event.id, webhook.id),
        payload,
      });
    }
  }
  if (rows.length === 0) return 0;
  const created = await tx.webhookDelivery.createMany({ data: rows, skipDuplicates: true });
  return created.count;
}
