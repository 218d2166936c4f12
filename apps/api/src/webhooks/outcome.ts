// Writing an attempt's outcome on its outbox row, and the release events that matter to people:
// webhook.failed when retries are exhausted, webhook.delivered when a delivery succeeds after failing
// (the receiver is back). Every other success stays on the row only. Neither event is ever sent.
import type { TActor } from '@rampart/domain';
import type { Clock } from '../clock.js';
import type { Db, Tx } from '../db/prisma.js';
import { recordEvents } from '../services/releases/persist-change.js';
import type { TBackoffPolicy } from './backoff.js';
import { nextRetry } from './backoff.js';
import type { TClaimedDelivery } from './claim.js';
import type { TSendResult } from './send.js';

export const WEBHOOKS_ACTOR: TActor = { kind: 'system', userId: null, name: 'webhooks', role: 'admin', approvalRoles: [] };

export type TOutcome = 'delivered' | 'retry' | 'failed' | 'lost';

/** A webhook.* release event, written in the same transaction as the row's outcome. */
async function recordReleaseEvent(tx: Tx, clock: Clock, delivery: TClaimedDelivery, type: 'webhook.delivered' | 'webhook.failed', detail: Record<string, unknown>) {
  const releaseId = delivery.releaseId;
  if (!releaseId) return;
  const release = await tx.release.findUnique({ where: { id: releaseId }, select: { revision: true } });
  if (!release) return;
  const host = URL.canParse(delivery.url) ? new URL(delivery.url).host : 'unknown';
  await recordEvents(
    tx,
    releaseId,
    release.revision,
    WEBHOOKS_ACTOR,
    [{ type, data: { webhookId: delivery.webhookId, deliveryId: delivery.id, host, eventType: delivery.eventType, eventId: delivery.payload.eventId, ...detail } }],
    clock.now(),
  );
}

export interface TOutcomeContext {
  db: Db;
  clock: Clock;
  backoff: TBackoffPolicy;
  random?: () => number;
}

/** Stores the result of one attempt; answers what became of the delivery. */
export async function recordOutcome(ctx: TOutcomeContext, delivery: TClaimedDelivery, result: TSendResult): Promise<TOutcome> {
  const { db } = ctx;
  if (result.ok) {
    const statusCode = result.statusCode;
    if (delivery.attempts === 0) {
      // The common case needs no transaction: one statement, no release event.
      const updated = await db.$executeRaw`
        UPDATE "WebhookDelivery"
        SET status = 'delivered', attempts = attempts + 1, "deliveredAt" = now(), "lastStatusCode" = ${statusCode}
        WHERE id = ${delivery.id}::uuid AND status = 'pending'`;
      return updated === 0 ? 'lost' : 'delivered';
    }
    return db.$transaction(async (tx) => {
      const updated = await tx.$executeRaw`
        UPDATE "WebhookDelivery"
        SET status = 'delivered', attempts = attempts + 1, "deliveredAt" = now(), "lastStatusCode" = ${statusCode}
        WHERE id = ${delivery.id}::uuid AND status = 'pending'`;
      if (updated === 0) return 'lost';
      await recordReleaseEvent(tx, ctx.clock, delivery, 'webhook.delivered', { attempts: delivery.attempts + 1, statusCode });
      return 'delivered';
    });
  }
  const attempts = delivery.attempts + 1;
  const rows = await db.$queryRaw<{ ageMs: number }[]>`
    SELECT (EXTRACT(EPOCH FROM (now() - "createdAt")) * 1000)::float8 AS "ageMs" FROM "WebhookDelivery" WHERE id = ${delivery.id}::uuid`;
  const decision = nextRetry(attempts, rows[0]?.ageMs ?? 0, ctx.backoff, ctx.random);
  const status = decision.giveUp ? 'failed' : 'pending';
  const delaySeconds = decision.giveUp ? 0 : decision.delayMs / 1000;
  return db.$transaction(async (tx) => {
    const updated = await tx.$executeRaw`
      UPDATE "WebhookDelivery"
      SET status = ${status}::"DeliveryStatus", attempts = attempts + 1, "lastStatusCode" = ${result.statusCode},
        "lastError" = ${result.error}, "nextAttemptAt" = now() + make_interval(secs => ${delaySeconds})
      WHERE id = ${delivery.id}::uuid AND status = 'pending'`;
    if (updated === 0) return 'lost';
    if (!decision.giveUp) return 'retry';
    await recordReleaseEvent(tx, ctx.clock, delivery, 'webhook.failed', { attempts, statusCode: result.statusCode, error: result.error });
    return 'failed';
  });
}
