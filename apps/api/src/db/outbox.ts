// The webhook outbox, as the services write it: delivery rows written inside the change's transaction, so a
// delivery exists exactly when the change committed. It sits below the services that write it: what a row
// carries is captured by services/deliveries, how it is claimed, signed and sent is webhooks/ (above them).
import type { TMessageTemplateSpec } from '@rampart/contracts';
import type { TMessageVariables } from '@rampart/domain';
import type { Prisma } from '../generated/prisma/client.js';
import type { Tx } from './prisma.js';

export interface TEventRow {
  id: bigint;
  type: string;
  actorName: string;
  reason: string | null;
  data: unknown;
  revision: number;
  createdAt: Date;
}

export interface TWebhookRelease {
  id: string;
  service: string;
  version: string;
  state: string;
  stage: { index: number; key: string; name: string; trafficPercent: number } | null;
  desiredPercent: number;
  acknowledgedPercent: number;
  revision: number;
  url: string;
}

export interface TWebhookBody {
  /** The event's id: the same for every webhook that receives it. */
  id: string;
  type: string;
  createdAt: string;
  release: TWebhookRelease;
  event: { id: string; type: string; actor: string; reason: string | null; data: unknown; revision: number; createdAt: string };
}

/** What the outbox row stores: the body without the instance's URL, and the Slack message to fill. */
export interface TStoredPayload {
  eventId: string;
  body: Omit<TWebhookBody, 'release'> & { release: Omit<TWebhookRelease, 'url'> };
  message: { template: TMessageTemplateSpec; variables: Omit<TMessageVariables, 'releaseUrl'> } | null;
}

/** Webhook outcomes are release events too; sending them would announce deliveries of deliveries. */
export const isSendable = (type: string) => !type.startsWith('webhook.');

export const idempotencyKeyOf = (eventId: bigint | string, webhookId: string) => `${eventId.toString()}:${webhookId}`;

export interface TSubscriber {
  id: string;
  events: string[];
}

/** The enabled webhooks subscribed to any of these event types ('*': all of them). */
export async function subscribersOf(tx: Tx, types: readonly string[]): Promise<TSubscriber[]> {
  return tx.webhook.findMany({
    where: { enabled: true, OR: [{ events: { has: '*' } }, { events: { hasSome: [...types] } }] },
    select: { id: true, events: true },
  });
}

/**
 * One row per (subscriber that wants the event, event), in the order given; a row whose idempotency key is
 * already there stays as it was. Returns how many rows were written.
 */
export async function writeDeliveries(
  tx: Tx,
  releaseId: string,
  subscribers: readonly TSubscriber[],
  entries: readonly { event: TEventRow; payload: TStoredPayload }[],
): Promise<number> {
  const rows: Prisma.WebhookDeliveryCreateManyInput[] = [];
  for (const { event, payload } of entries) {
    for (const webhook of subscribers) {
      if (!webhook.events.includes('*') && !webhook.events.includes(event.type)) continue;
      rows.push({
        webhookId: webhook.id,
        releaseId,
        eventType: event.type,
        idempotencyKey: idempotencyKeyOf(event.id, webhook.id),
        payload: payload as unknown as Prisma.InputJsonValue,
      });
    }
  }
  if (rows.length === 0) return 0;
  const created = await tx.webhookDelivery.createMany({ data: rows, skipDuplicates: true });
  return created.count;
}
