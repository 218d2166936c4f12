// Claiming work from the outbox. Only the head of each (webhook, release) queue (its oldest pending
// delivery, by event id) can be claimed, and only when due: event N+1 never leaves before event N did.
// A claim pushes the row's nextAttemptAt past the request timeout (a visibility timeout), under
// FOR UPDATE SKIP LOCKED, so several instances can share the outbox: another instance sees the head as
// not due, and takes it over only if the claimer died and the claim ran out.
import type { Db } from '../db/prisma.js';
import type { TStoredPayload } from '../db/outbox.js';
import { ROTATION_OVERLAP_HOURS } from './signing.js';

export interface TClaimedDelivery {
  id: string;
  webhookId: string;
  releaseId: string | null;
  eventType: string;
  idempotencyKey: string;
  payload: TStoredPayload;
  attempts: number;
  createdAt: Date;
  url: string;
  secret: string;
  /** The secret the last rotation replaced, while the overlap lasts; null after it. */
  previousSecret: string | null;
  format: string;
}

export interface TClaimRequest {
  limit: number;
  /** How long the claim holds, in seconds: longer than a request may take. */
  claimSeconds: number;
  /** At most this many heads per webhook in one claim. */
  perWebhook: number;
  /** Webhooks already at their concurrency limit on this instance. */
  busyWebhooks: readonly string[];
}

export async function claimDue(db: Db, request: TClaimRequest): Promise<TClaimedDelivery[]> {
  if (request.limit <= 0) return [];
  return db.$queryRaw<TClaimedDelivery[]>`
    WITH heads AS (
      SELECT DISTINCT ON (d."webhookId", d."releaseId") d.id, d."webhookId", d."nextAttemptAt"
      FROM "WebhookDelivery" d
      WHERE d.status = 'pending'
      ORDER BY d."webhookId", d."releaseId", split_part(d."idempotencyKey", ':', 1)::bigint, d.id
    ), ranked AS (
      SELECT h.id, row_number() OVER (PARTITION BY h."webhookId" ORDER BY h."nextAttemptAt") AS rank
      FROM heads h JOIN "Webhook" w ON w.id = h."webhookId"
      WHERE h."nextAttemptAt" <= now() AND w.enabled AND NOT (h."webhookId" = ANY(${request.busyWebhooks as string[]}::uuid[]))
    ), picked AS (
      SELECT d.id FROM "WebhookDelivery" d JOIN ranked r ON r.id = d.id
      WHERE r.rank <= ${request.perWebhook} AND d.status = 'pending' AND d."nextAttemptAt" <= now()
      ORDER BY d."nextAttemptAt"
      LIMIT ${request.limit}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE "WebhookDelivery" d
    SET "nextAttemptAt" = now() + make_interval(secs => ${request.claimSeconds})
    FROM picked, "Webhook" w
    WHERE d.id = picked.id AND w.id = d."webhookId"
    RETURNING d.id, d."webhookId", d."releaseId", d."eventType", d."idempotencyKey", d.payload, d.attempts, d."createdAt",
      w.url, w.secret, w.format,
      CASE WHEN w."secretRotatedAt" > now() - make_interval(hours => ${ROTATION_OVERLAP_HOURS}) THEN w."previousSecret" END AS "previousSecret"`;
}

/** Gives a claim back untried (the instance is shutting down): the delivery is due again at once. */
export async function releaseClaim(db: Db, id: string): Promise<void> {
  await db.$executeRaw`UPDATE "WebhookDelivery" SET "nextAttemptAt" = now() WHERE id = ${id}::uuid AND status = 'pending'`;
}
