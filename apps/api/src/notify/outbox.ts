// The email outbox: pages not yet mailed to their contact, and internal messages not yet mailed to the
// release's contacts. Each row is claimed in its own transaction with FOR UPDATE SKIP LOCKED and the lock is
// held while it is sent, so several instances never mail one row twice; a crash mid-send rolls the claim
// back and the row is tried again (at least once, never silently dropped).
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db, Tx } from '../db/prisma.js';
import { inTransaction } from '../services/releases/transaction.js';
import { acknowledgeWithinSecondsOf, contactsOf } from '../services/contacts/contacts-of.js';
import { messageEmail, pageEmail } from './compose.js';
import { NOT_SENT } from './failure.js';
import type { TEmail, TMailer } from './mailer.js';
import type { TEmailRetryPolicy } from './retry.js';

export interface TOutboxContext {
  db: Db;
  clock: Clock;
  /** Null: email is off. */
  mailer: TMailer | null;
  publicUrl: string;
  retry: TEmailRetryPolicy;
  /** Aborted at shutdown: the send in flight is given up and its claim rolled back. */
  signal: AbortSignal;
  log: FastifyBaseLogger;
}

/** Thrown inside a claim's transaction to undo it: the instance is stopping, the row stays as it was. */
class SendAborted extends Error {}

type TAttempt = { sent: true } | { sent: false; error: string };

async function attempt(mailer: TMailer, signal: AbortSignal, email: TEmail): Promise<TAttempt> {
  const outcome = await mailer.send(email, signal);
  if (outcome.ok) return { sent: true };
  if (outcome.error === 'aborted') throw new SendAborted();
  return { sent: false, error: outcome.error };
}

async function claimPage(tx: Tx, now: Date, retry: TEmailRetryPolicy): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Page"
    WHERE "deliveredAt" IS NULL AND "deliveryAttempts" < ${retry.maxAttempts}
      AND "pagedAt" + make_interval(secs => ${retry.baseSeconds}::float8 * (power(2, "deliveryAttempts") - 1)) <= ${now}::timestamptz
    ORDER BY "pagedAt"
    LIMIT 1
    FOR UPDATE SKIP LOCKED`;
  return rows[0]?.id ?? null;
}

async function deliverOnePage(ctx: TOutboxContext): Promise<boolean> {
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const id = await claimPage(tx, now, ctx.retry);
    if (id === null) return false;
    const page = await tx.page.findUniqueOrThrow({ where: { id } });
    const release = await tx.release.findUniqueOrThrow({
      where: { id: page.releaseId },
      select: { id: true, service: true, version: true, contacts: true, playbookSpec: true },
    });
    // The address is looked up now: a contact whose address was corrected since the page is mailed at the new one.
    const contact = contactsOf(release).find((c) => c.role === page.contactRole && c.name === page.contactName && c.email);
    const done = (error: string | null) => tx.page.update({ where: { id }, data: { deliveredAt: now, deliveryError: error } });
    if (!ctx.mailer || !contact?.email) {
      await done(ctx.mailer ? NOT_SENT.noAddress : NOT_SENT.emailOff);
      return true;
    }
    const to = { name: contact.name, address: contact.email };
    const email = pageEmail({ publicUrl: ctx.publicUrl, release, page, to, acknowledgeWithinSeconds: acknowledgeWithinSecondsOf(release) });
    const result = await attempt(ctx.mailer, ctx.signal, email);
    if (result.sent) {
      await tx.page.update({ where: { id }, data: { deliveredAt: now, deliveryAttempts: { increment: 1 }, deliveryError: null } });
    } else {
      const attempts = page.deliveryAttempts + 1;
      await tx.page.update({ where: { id }, data: { deliveryAttempts: attempts, deliveryError: result.error } });
      ctx.log.warn({ pageId: id, releaseId: page.releaseId, attempts, error: result.error, final: attempts >= ctx.retry.maxAttempts }, 'page email failed');
    }
    return true;
  });
}

async function claimMessage(tx: Tx, now: Date, retry: TEmailRetryPolicy): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "SentMessage"
    WHERE "emailedAt" IS NULL AND audience = 'internal' AND "emailAttempts" < ${retry.maxAttempts}
      AND "sentAt" + make_interval(secs => ${retry.baseSeconds}::float8 * (power(2, "emailAttempts") - 1)) <= ${now}::timestamptz
    ORDER BY "sentAt"
    LIMIT 1
    FOR UPDATE SKIP LOCKED`;
  return rows[0]?.id ?? null;
}

async function deliverOneMessage(ctx: TOutboxContext): Promise<boolean> {
  return inTransaction(ctx.db, async (tx) => {
    const now = ctx.clock.now();
    const id = await claimMessage(tx, now, ctx.retry);
    if (id === null) return false;
    const message = await tx.sentMessage.findUniqueOrThrow({ where: { id } });
    const release = await tx.release.findUniqueOrThrow({
      where: { id: message.releaseId },
      select: { id: true, service: true, version: true, contacts: true, playbookSpec: true },
    });
    const to = contactsOf(release).flatMap((c) => (c.email ? [{ name: c.name, address: c.email }] : []));
    const done = (error: string | null) => tx.sentMessage.update({ where: { id }, data: { emailedAt: now, emailError: error } });
    if (!ctx.mailer || to.length === 0) {
      await done(ctx.mailer ? NOT_SENT.noRecipients : NOT_SENT.emailOff);
      return true;
    }
    const result = await attempt(ctx.mailer, ctx.signal, messageEmail({ publicUrl: ctx.publicUrl, release, message, to }));
    if (result.sent) {
      await tx.sentMessage.update({ where: { id }, data: { emailedAt: now, emailAttempts: { increment: 1 }, emailError: null } });
    } else {
      const attempts = message.emailAttempts + 1;
      await tx.sentMessage.update({ where: { id }, data: { emailAttempts: attempts, emailError: result.error } });
      ctx.log.warn({ messageId: id, releaseId: message.releaseId, attempts, error: result.error, final: attempts >= ctx.retry.maxAttempts }, 'message email failed');
    }
    return true;
  });
}

/** Sends what is due, up to `limit` rows of each kind; answers how many rows were settled or tried. */
export async function drainOutbox(ctx: TOutboxContext, limit = 100): Promise<number> {
  let count = 0;
  try {
    for (const deliverOne of [deliverOnePage, deliverOneMessage]) {
      for (let n = 0; n < limit && !ctx.signal.aborted && (await deliverOne(ctx)); n++) count++;
    }
  } catch (error) {
    if (!(error instanceof SendAborted)) throw error;
  }
  return count;
}
