// Paging from inside a release change: the events that call for it (an automatic rollback, a severe
// incident, an incident response that asks) page the first on-call contact, once per cause.
import { onCallAt, pageCausesOf } from '@rampart/domain';
import type { TDomainEvent, TPageCause } from '@rampart/domain';
import type { Tx } from '../../db/prisma.js';
import type { TRecordedEvent } from '../releases/event-reactions.js';
import { recordEvents } from '../releases/persist-change.js';
import { contactsOf } from '../contacts/contacts-of.js';
import { PAGING_ACTOR, pageContact } from './page-contact.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The incident a page may name: one that exists. A failed write here would undo the release change that
 * pages, so an id from event data is checked rather than trusted to the foreign key.
 */
async function existingIncident(tx: Tx, releaseId: string, incidentId: string | null): Promise<string | null> {
  if (incidentId === null || !UUID.test(incidentId)) return null;
  const incident = await tx.incident.findFirst({ where: { id: incidentId, releaseId }, select: { id: true } });
  return incident?.id ?? null;
}

/** Whether this cause paged someone already: the same incident, or (incident-less) the release's rollback. */
async function alreadyPaged(tx: Tx, releaseId: string, cause: TPageCause): Promise<boolean> {
  const found = await tx.page.findFirst({ where: { releaseId, incidentId: cause.incidentId }, select: { id: true } });
  return found !== null;
}

/** Pages the release's on-call contacts for the events that call for it (automatic rollback, P0/P1 incidents). */
export async function pageForEvents(tx: Tx, releaseId: string, events: readonly TRecordedEvent[], at: Date): Promise<void> {
  const causes = pageCausesOf(events);
  if (causes.length === 0) return;
  const release = await tx.release.findUnique({ where: { id: releaseId }, select: { contacts: true, playbookSpec: true, revision: true } });
  if (!release) return;
  // Nobody on call: nobody to page. The rollback and the incident are on the release page and in its events.
  const first = onCallAt(contactsOf(release), 0);
  if (!first) return;
  const paged: TDomainEvent[] = [];
  for (const found of causes) {
    const cause = { ...found, incidentId: await existingIncident(tx, releaseId, found.incidentId) };
    if (await alreadyPaged(tx, releaseId, cause)) continue;
    paged.push(await pageContact(tx, { releaseId, contact: first, level: 0, reason: cause.reason, incidentId: cause.incidentId }, at));
  }
  // contact.paged calls for no page, so this nested recording ends here.
  if (paged.length > 0) await recordEvents(tx, releaseId, events[0]?.revision ?? release.revision, PAGING_ACTOR, paged, at);
}
