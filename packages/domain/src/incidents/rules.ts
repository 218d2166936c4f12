// What may be reported, where and when: a severity from the release's own scale, on a release that is
// under way, and incident statuses that only move forward.
import type { TIncidentScale, TIncidentSeverity, TIncidentStatus, TReleaseState } from '@rampart/contracts';
import { INCIDENT_SCALES, INCIDENT_STATUSES } from '@rampart/contracts';

/** Why the severity is refused (it is not on the playbook's scale), or null. */
export function severityOffScale(scale: TIncidentScale, severity: TIncidentSeverity): string | null {
  const allowed: readonly TIncidentSeverity[] = INCIDENT_SCALES[scale];
  if (allowed.includes(severity)) return null;
  return `"${severity}" is not on this release's ${scale} scale; use one of ${allowed.join(', ')}`;
}

const UNDER_WAY: readonly TReleaseState[] = ['running', 'paused', 'rolling_back'];

/**
 * Why no problem can be reported on a release in this state, or null. Before the start nothing is exposed
 * to report on; once finished there is nothing left for the playbook to do (a new attempt is the place).
 */
export function whyNoIncident(state: TReleaseState): string | null {
  if (UNDER_WAY.includes(state)) return null;
  const words = state.replace('_', ' ');
  if (state === 'draft' || state === 'ready') return `The release is ${words}: it has not started, so there is nothing to report a problem on yet`;
  return `The release is ${words}: report the problem on a release that is under way`;
}

/** Why an incident cannot move from one status to the other (statuses only move forward), or null. */
export function whyNoStatusChange(from: TIncidentStatus, to: TIncidentStatus): string | null {
  if (INCIDENT_STATUSES.indexOf(to) >= INCIDENT_STATUSES.indexOf(from)) return null;
  return `The incident is ${from}; it cannot go back to ${to}: report a new one`;
}
