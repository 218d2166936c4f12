// Who is paged next and when a page is overdue. The on-call contacts are paged in list order: level 0 is the
// first contact marked onCall, and each escalation moves one down the list until it runs out.

export interface TOnCallCandidate {
  role: string;
  name: string;
  email?: string | undefined;
  onCall: boolean;
}

/** The on-call contact at `level` (0: the first in list order), or null when the list has run out. */
export function onCallAt<C extends TOnCallCandidate>(contacts: readonly C[], level: number): C | null {
  return contacts.filter((contact) => contact.onCall)[level] ?? null;
}

/** When a page sent at `pagedAt` escalates unless someone acknowledges it first. */
export function escalationDueAt(pagedAt: Date, acknowledgeWithinSeconds: number): Date {
  return new Date(pagedAt.getTime() + acknowledgeWithinSeconds * 1000);
}

export interface TPageState {
  pagedAt: Date;
  acknowledgedAt: Date | null;
  escalatedAt: Date | null;
}

/** True when nobody acknowledged the page within the playbook's time and it has not escalated yet. */
export function pageOverdue(page: TPageState, acknowledgeWithinSeconds: number, now: Date): boolean {
  if (page.acknowledgedAt !== null || page.escalatedAt !== null) return false;
  return escalationDueAt(page.pagedAt, acknowledgeWithinSeconds).getTime() <= now.getTime();
}

/** The step an overdue page leads to: the next on-call contact, or a person's attention when nobody is left. */
export type TEscalationStep<C> = { kind: 'page'; contact: C; level: number } | { kind: 'exhausted' };

export function escalationStep<C extends TOnCallCandidate>(contacts: readonly C[], level: number): TEscalationStep<C> {
  const next = onCallAt(contacts, level + 1);
  return next ? { kind: 'page', contact: next, level: level + 1 } : { kind: 'exhausted' };
}
