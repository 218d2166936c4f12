// Escalation: a page nobody acknowledged in the playbook's time goes to the next on-call contact; after the
// last one, the release asks for a person's attention. One page per transaction, claimed with
// FOR UPDATE SKIP LOCKED and re-checked under the lock, so several instances escalate each page once.
import { escalationStep } from '@rampart/domain';
import type { TDomainEvent } from '@rampart/domain';
import type { Clock } from '../../clock.js';
import type { Db, Tx } from '../../db/prisma.js';
import { recordEvents } from '../releases/persist-change.js';
import { inTransaction } from '../releases/transaction.js';
import { acknowledgeWithinSecondsOf, contactsOf } from '../contacts/contacts-of.js';
import { PAGING_ACTOR, pageContact } from './page-contact.js';

/** An overdue page: unacknowledged past its release's time, not escalated, its cause neither acknowledged nor resolved. */
async function claimOverduePage(tx: Tx, now: Date): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT p.id FROM "Page" p JOIN "Release" r ON r.id = p."releaseId"
    WHERE p."acknowledgedAt" IS NULL AND p."escalatedAt" IS NULL
      AND p."pagedAt" + make_interval(secs => COALESCE((r."playbookSpec"->'escalation'->>'acknowledgeWithinSeconds')::float8, 900)) <= ${now}::timestamptz
      AND NOT EXISTS (
        SELECT 1 FROM "Page" q
        WHERE q."releaseId" = p."releaseId" AND q."incidentId" IS NOT DISTINCT FROM p."incidentId" AND q."acknowledgedAt" IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM "Incident" i WHERE i.id = p."incidentId" AND i.status = 'resolved')
    ORDER BY p."pagedAt"
    LIMIT 1
    FOR UPDATE OF p SKIP LOCKED`;
  return rows[0]?.id ?? null;
}

async function escalateOne(tx: Tx, now: Date): Promise<boolean> {
  const id = await claimOverduePage(tx, now);
  if (id === null) return false;
  const page = await tx.page.update({ where: { id }, data: { escalatedAt: now } });
  const release = await tx.release.findUniqueOrThrow({ where: { id: page.releaseId }, select: { contacts: true, playbookSpec: true, revision: true } });
  const step = escalationStep(contactsOf(release), page.level);
  const events: TDomainEvent[] = [];
  if (step.kind === 'page') {
    const waited = acknowledgeWithinSecondsOf(release);
    events.push({
      type: 'page.escalated',
      reason: `Nobody acknowledged the page within ${waited} s`,
      data: { pageId: page.id, fromLevel: page.level, toLevel: step.level, role: step.contact.role, name: step.contact.name, incidentId: page.incidentId },
    });
    events.push(await pageContact(tx, { releaseId: page.releaseId, contact: step.contact, level: step.level, reason: page.reason, incidentId: page.incidentId }, now));
  } else {
    events.push({
      type: 'release.needs_attention',
      data: {
        reason: 'page_unacknowledged',
        pageId: page.id,
        incidentId: page.incidentId,
        message: `Nobody acknowledged the page (${page.reason}) and every on-call contact has been paged: someone needs to take it.`,
      },
    });
  }
  await recordEvents(tx, page.releaseId, release.revision, PAGING_ACTOR, events, now);
  return true;
}

/** Escalates every page overdue at the clock's now, up to `limit`; answers how many. */
export async function escalateOverduePages(db: Db, clock: Clock, limit = 100): Promise<number> {
  let count = 0;
  while (count < limit && (await inTransaction(db, (tx) => escalateOne(tx, clock.now())))) count++;
  return count;
}
