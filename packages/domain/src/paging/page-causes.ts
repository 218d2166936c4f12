// Which recorded events call for paging the on-call contacts, and why in words. A page goes out for what
// Rampart did on its own (an automatic rollback, an incident response's rollback) and for severe incidents;
// a person who rolls back by hand is already awake.

/** The part of a recorded release event that paging reads. `actorId` null: Rampart itself acted. */
export interface TPageableEvent {
  type: string;
  actorId: string | null;
  reason: string | null;
  data: unknown;
}

/** One reason to page, named so a second event for the same cause pages nobody twice. */
export interface TPageCause {
  /** `incident:<id>` for an incident (and the rollback it caused), `rollback` for a release's automatic rollback. */
  key: string;
  incidentId: string | null;
  reason: string;
}

/** The severities that page on their own: the top two of each scale. */
export const PAGING_SEVERITIES: readonly string[] = ['P0', 'P1', 'SEV1', 'SEV2'];

const field = (data: unknown, name: string): unknown => (typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[name] : undefined);
const text = (data: unknown, name: string): string | null => {
  const value = field(data, name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
};

/** The incident an event is about: its data names it as incidentId (or, on incident events, id). */
function incidentIdOf(event: TPageableEvent): string | null {
  return text(event.data, 'incidentId') ?? (event.type.startsWith('incident.') ? text(event.data, 'id') : null);
}

function describeIncident(event: TPageableEvent): string {
  const severity = text(event.data, 'severity');
  const kind = text(event.data, 'kind')?.replace(/_/g, ' ') ?? 'problem';
  const title = text(event.data, 'title');
  const what = severity ? `${severity} ${kind === 'incident' ? 'incident' : kind}` : kind;
  return title ? `${what} reported: ${title}` : `${what} reported`;
}

/** Whether an incident.reported event pages by itself: a top severity, or the playbook's response asked for it. */
export function incidentCallsForPage(event: TPageableEvent): boolean {
  if (event.type !== 'incident.reported') return false;
  const severity = text(event.data, 'severity');
  return (severity !== null && PAGING_SEVERITIES.includes(severity)) || field(event.data, 'page') === true;
}

export function isAutomaticRollback(event: TPageableEvent): boolean {
  return event.type === 'release.rollback_started' && event.actorId === null;
}

/**
 * The causes a batch of events (one release change) pages for, at most one per cause. A rollback recorded with
 * an incident (an incident response rolled the release back) is that incident's cause, not a second page.
 */
export function pageCausesOf(events: readonly TPageableEvent[]): TPageCause[] {
  const causes = new Map<string, TPageCause>();
  const reported = events.filter((event) => event.type === 'incident.reported');
  for (const event of reported) {
    if (!incidentCallsForPage(event)) continue;
    const incidentId = incidentIdOf(event);
    const key = incidentId ? `incident:${incidentId}` : 'incident';
    if (!causes.has(key)) causes.set(key, { key, incidentId, reason: describeIncident(event) });
  }
  for (const event of events.filter(isAutomaticRollback)) {
    // Recorded in the same change as an incident report, the rollback is that incident's response.
    const incident = incidentIdOf(event) ? event : reported[0];
    const incidentId = incident ? incidentIdOf(incident) : null;
    const key = incidentId ? `incident:${incidentId}` : 'rollback';
    const existing = causes.get(key);
    if (existing) {
      causes.set(key, { ...existing, reason: `${existing.reason}; Rampart is rolling the release back` });
      continue;
    }
    const why = event.reason ? `: ${event.reason}` : '';
    const after = incident && incident !== event ? ` after ${describeIncident(incident).replace(/ reported/, '')}` : '';
    causes.set(key, { key, incidentId, reason: `Rampart rolled the release back automatically${after}${why}` });
  }
  return [...causes.values()];
}
