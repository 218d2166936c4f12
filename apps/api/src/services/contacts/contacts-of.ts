// A release's contacts: its own list when it names one, else its playbook copy's. Read from the raw JSON
// columns with a narrow parse, so paging (which runs inside every release change) never parses a whole spec.
import type { TContactSpec, TPlaybookSpec } from '@rampart/contracts';
import { ZContactSpec, ZEscalationPolicy } from '@rampart/contracts';
import { z } from 'zod';
import type { Prisma } from '../../generated/prisma/client.js';

const ZContacts = z.array(ZContactSpec);

export interface TContactsSource {
  contacts: Prisma.JsonValue | null;
  /** The raw spec copy; a caller that parsed it already (and reads rows without it) passes the spec instead. */
  playbookSpec?: Prisma.JsonValue;
}

const specField = (spec: Prisma.JsonValue, name: string): unknown =>
  typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? (spec as Record<string, unknown>)[name] : undefined;

/** The people the release names, in list order (the order on-call contacts are paged in). */
export function contactsOf(release: TContactsSource, spec?: Pick<TPlaybookSpec, 'contacts'>): TContactSpec[] {
  const own = release.contacts === null ? null : ZContacts.safeParse(release.contacts);
  if (own?.success) return own.data;
  if (spec) return spec.contacts;
  const fromPlaybook = ZContacts.safeParse(specField(release.playbookSpec ?? null, 'contacts') ?? []);
  return fromPlaybook.success ? fromPlaybook.data : [];
}

/** Whether the release names its own contacts rather than its playbook's. */
export function namesOwnContacts(release: Pick<TContactsSource, 'contacts'>): boolean {
  return release.contacts !== null && ZContacts.safeParse(release.contacts).success;
}

/** How long a page may go unacknowledged before the next on-call contact is paged. */
export function acknowledgeWithinSecondsOf(release: { playbookSpec: Prisma.JsonValue }): number {
  const policy = ZEscalationPolicy.safeParse(specField(release.playbookSpec, 'escalation') ?? {});
  return policy.success ? policy.data.acknowledgeWithinSeconds : 900;
}
