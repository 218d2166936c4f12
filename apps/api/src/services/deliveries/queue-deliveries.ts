// The outbox's writer: recordEvents calls this inside the change's transaction, so a delivery row exists
// exactly when the change committed. One row per (enabled webhook subscribed to the event, event).
import type { Tx } from '../../db/prisma.js';
import type { TEventRow } from '../../db/outbox.js';
import { isSendable, subscribersOf, writeDeliveries } from '../../db/outbox.js';
import { loadRelease } from '../releases/release-record.js';
import { loadMessageFigures } from '../releases/message-figures.js';
import { storedPayload } from './stored-payload.js';

const REASON_EVENTS = ['release.rollback_started', 'release.paused'];

/** Returns how many deliveries were queued. Costs one query when no webhook wants these events. */
export async function enqueueWebhookDeliveries(tx: Tx, releaseId: string, events: readonly TEventRow[]): Promise<number> {
  const sendable = events.filter((event) => isSendable(event.type));
  if (sendable.length === 0) return 0;
  const subscribers = await subscribersOf(tx, [...new Set(sendable.map((event) => event.type))]);
  if (subscribers.length === 0) return 0;

  const record = await loadRelease(tx, releaseId);
  // The reason the rollback and pause messages quote: the latest one, including this change's own events.
  const latest = await tx.releaseEvent.findFirst({
    where: { releaseId, type: { in: REASON_EVENTS }, reason: { not: null } },
    orderBy: { id: 'desc' },
    select: { reason: true },
  });
  const newest = sendable.reduce((at, event) => (event.createdAt > at ? event.createdAt : at), sendable[0]!.createdAt);
  const figures = await loadMessageFigures(tx, record, newest);
  const entries = [...sendable]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((event) => ({ event, payload: storedPayload(record, event, latest?.reason ?? null, figures) }));
  return writeDeliveries(tx, releaseId, subscribers, entries);
}
