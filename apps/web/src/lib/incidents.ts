// Problems, incidents and pages in words. Pure and type-only against the contracts (no zod in the bundle):
// tested in apps/web/test.
import type {
  TIncident,
  TIncidentAction,
  TIncidentScale,
  TIncidentSeverity,
  TIncidentStatus,
  TPage,
  TProblemKind,
  TReleaseState,
} from '@rampart/contracts';
import type { Tone } from './format';

/** The contracts' INCIDENT_SCALES, restated here so the browser does not import zod for two arrays. */
export const SCALES = {
  'P0-P3': ['P0', 'P1', 'P2', 'P3'],
  'SEV1-SEV4': ['SEV1', 'SEV2', 'SEV3', 'SEV4'],
} as const satisfies Record<TIncidentScale, readonly TIncidentSeverity[]>;

export const KIND_LABELS: Record<TProblemKind, string> = {
  security: 'Security finding',
  data_integrity: 'Data integrity issue',
  critical_flow: 'Critical flow failing',
  user_reports: 'User reports',
  incident: 'Incident',
  other: 'Other problem',
};

/** The order the report form offers kinds in: the named problems first, a classified incident, then other. */
export const KIND_ORDER: readonly TProblemKind[] = ['security', 'data_integrity', 'critical_flow', 'user_reports', 'incident', 'other'];

export const STATUS_INFO: Record<TIncidentStatus, { label: string; icon: string; tone: Tone }> = {
  open: { label: 'Open', icon: '●', tone: 'bad' },
  mitigated: { label: 'Mitigated', icon: '◐', tone: 'warn' },
  resolved: { label: 'Resolved', icon: '✓', tone: 'good' },
};

/** What the playbook's response did, as a sentence about Rampart. */
export const ACTION_WORDS: Record<TIncidentAction, string> = {
  notify: 'Notified: the release goes on',
  hold: 'Held the next ramp while it is open',
  pause: 'Paused the release',
  rollback: 'Rolled the release back',
};

const SEVERITY_RANK: Record<TIncidentSeverity, number> = { P0: 0, P1: 1, P2: 2, P3: 3, SEV1: 0, SEV2: 1, SEV3: 2, SEV4: 3 };

/** The two most severe levels of either scale are the ones that page people (P0/P1, SEV1/SEV2). */
export function severityTone(severity: TIncidentSeverity): Tone {
  const rank = SEVERITY_RANK[severity];
  return rank <= 1 ? 'bad' : rank === 2 ? 'warn' : 'neutral';
}

/** The severities a report may choose from: the playbook's scale, or both while the scale is not known. */
export function severitiesFor(scale: TIncidentScale | null | undefined): TIncidentSeverity[] {
  return scale ? [...SCALES[scale]] : [...SCALES['P0-P3'], ...SCALES['SEV1-SEV4']];
}

/** The status changes a person may make next: statuses only move forward (open → mitigated → resolved). */
export function nextStatuses(status: TIncidentStatus): Exclude<TIncidentStatus, 'open'>[] {
  if (status === 'open') return ['mitigated', 'resolved'];
  if (status === 'mitigated') return ['resolved'];
  return [];
}

export const STATUS_BUTTON: Record<Exclude<TIncidentStatus, 'open'>, string> = {
  mitigated: 'Mark mitigated',
  resolved: 'Mark resolved',
};

/** The states in which a release takes reports (the API's rule): started, and not finished. */
const UNDER_WAY: readonly TReleaseState[] = ['running', 'paused', 'rolling_back'];

/** Why a problem cannot be reported on a release in this state, or null when it can. */
export function whyNoReport(state: TReleaseState): string | null {
  if (UNDER_WAY.includes(state)) return null;
  if (state === 'draft' || state === 'ready') return 'The release has not started: there is nothing to report a problem on yet.';
  return 'The release has finished: report a problem on a release that is under way (or on its next attempt).';
}

/** Open first, then mitigated, then resolved; the most severe and the newest first within each. */
export function sortIncidents(incidents: readonly TIncident[]): TIncident[] {
  const statusRank: Record<TIncidentStatus, number> = { open: 0, mitigated: 1, resolved: 2 };
  return [...incidents].sort(
    (a, b) =>
      statusRank[a.status] - statusRank[b.status] ||
      (a.severity ? SEVERITY_RANK[a.severity] : 9) - (b.severity ? SEVERITY_RANK[b.severity] : 9) ||
      Date.parse(b.startedAt) - Date.parse(a.startedAt),
  );
}

/** Contacts grouped by role, in the order the release lists them (the on-call order). */
export function groupByRole<T extends { role: string }>(contacts: readonly T[]): { role: string; people: T[] }[] {
  const groups: { role: string; people: T[] }[] = [];
  for (const contact of contacts) {
    const group = groups.find((g) => g.role === contact.role);
    if (group) group.people.push(contact);
    else groups.push({ role: contact.role, people: [contact] });
  }
  return groups;
}

export type TPageState = 'waiting' | 'acknowledged' | 'escalated';

export function pageState(page: TPage): TPageState {
  if (page.acknowledgedAt) return 'acknowledged';
  if (page.escalatedAt) return 'escalated';
  return 'waiting';
}
