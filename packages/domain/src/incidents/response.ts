// The playbook's response to a reported problem. Several responses may match one problem (a "security"
// rule and an "any P0" rule); the strongest action wins, because a weaker rule must never soften a
// stronger one, and paging is asked for if any matching rule asks for it.
import type { TIncidentAction, TIncidentResponseSpec, TIncidentSeverity, TPlaybookSpec, TProblemKind, TReleaseState } from '@rampart/contracts';
import { INCIDENT_ACTIONS } from '@rampart/contracts';

/** What the rules read of a problem: its kind and, for incidents (and optionally others), a severity. */
export interface TProblem {
  kind: TProblemKind;
  severity: TIncidentSeverity | null;
}

export interface TIncidentResponse {
  action: TIncidentAction;
  page: boolean;
}

/** notify < hold < pause < rollback. */
export function actionRank(action: TIncidentAction): number {
  return INCIDENT_ACTIONS.indexOf(action);
}

export function strongerAction(a: TIncidentAction, b: TIncidentAction): TIncidentAction {
  return actionRank(a) >= actionRank(b) ? a : b;
}

/** A rule with a severity list covers only problems carrying one of those severities. */
export function responseMatches(response: Pick<TIncidentResponseSpec, 'kinds' | 'severities'>, problem: TProblem): boolean {
  if (response.kinds && !response.kinds.includes(problem.kind)) return false;
  if (response.severities && (problem.severity === null || !response.severities.includes(problem.severity))) return false;
  return true;
}

/** The strongest matching response; `notify` without paging when none matches. */
export function incidentResponse(spec: Pick<TPlaybookSpec, 'incidentResponses'>, problem: TProblem): TIncidentResponse {
  let action: TIncidentAction = 'notify';
  let page = false;
  for (const response of spec.incidentResponses) {
    if (!responseMatches(response, problem)) continue;
    action = strongerAction(action, response.action);
    page ||= response.page;
  }
  return { action, page };
}

/**
 * The release action an incident response takes now, or null when there is none to take: `hold` is a ramp
 * blocker read from the open incidents, `notify` only tells people, and a pause only stops a running release.
 */
export function releaseActionOf(action: TIncidentAction, state: TReleaseState): 'rollback' | 'pause' | null {
  if (action === 'rollback') return 'rollback';
  if (action === 'pause' && state === 'running') return 'pause';
  return null;
}

const KIND_WORDS: Record<TProblemKind, string> = {
  security: 'security problem',
  data_integrity: 'data integrity problem',
  critical_flow: 'critical flow failure',
  user_reports: 'problem from user reports',
  incident: 'incident',
  other: 'problem',
};

/**
 * The reason Rampart gives when it acts on a report: "P1 incident reported by sam@example.com: checkout failing",
 * or, when triage raised the severity, "P1 incident, re-graded by ...".
 */
export function incidentReason(problem: TProblem & { title: string }, by: string, regraded = false): string {
  const what = problem.severity ? `${problem.severity} ${KIND_WORDS[problem.kind]}` : KIND_WORDS[problem.kind];
  const how = regraded ? ', re-graded by' : ' reported by';
  return `${what.charAt(0).toUpperCase()}${what.slice(1)}${how} ${by}: ${problem.title}`;
}
