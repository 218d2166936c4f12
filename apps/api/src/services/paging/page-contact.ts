// Paging one contact: the Page row (which is also the email's outbox entry) and the event that says so.
import type { TContactSpec } from '@rampart/contracts';
import type { TActor, TDomainEvent } from '@rampart/domain';
import type { Tx } from '../../db/prisma.js';

/** Rampart itself pages and escalates; no person does. */
export const PAGING_ACTOR: TActor = { kind: 'system', userId: null, name: 'paging', role: 'admin', approvalRoles: [] };

export interface TPageRequest {
  releaseId: string;
  contact: TContactSpec;
  level: number;
  reason: string;
  incidentId: string | null;
}

/** Writes the page; answers its contact.paged event, for the caller to record with the rest of its change. */
export async function pageContact(tx: Tx, request: TPageRequest, at: Date): Promise<TDomainEvent> {
  const { contact } = request;
  const page = await tx.page.create({
    data: {
      releaseId: request.releaseId,
      incidentId: request.incidentId,
      reason: request.reason,
      level: request.level,
      contactRole: contact.role,
      contactName: contact.name,
      pagedAt: at,
    },
    select: { id: true },
  });
  // The address stays off the event: events travel to webhooks and the audit log, contacts' details do not.
  return {
    type: 'contact.paged',
    reason: request.reason,
    data: { pageId: page.id, level: request.level, role: contact.role, name: contact.name, incidentId: request.incidentId, byEmail: contact.email !== undefined },
  };
}
