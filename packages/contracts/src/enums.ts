// Enumerations shared by the API, the domain and the browser. No imports beyond zod, so the SPA can use them.
import { z } from 'zod';

export const USER_ROLES = ['admin', 'release_owner', 'approver', 'viewer'] as const;
export const ZUserRole = z.enum(USER_ROLES);
export type TUserRole = z.infer<typeof ZUserRole>;

export const APPROVAL_ROLES = ['product', 'security', 'infrastructure', 'engineering'] as const;
export const ZApprovalRole = z.enum(APPROVAL_ROLES);
export type TApprovalRole = z.infer<typeof ZApprovalRole>;

export const RELEASE_STATES = [
  'draft',
  'ready',
  'running',
  'paused',
  'rolling_back',
  'rolled_back',
  'completed',
  'aborted',
] as const;
export const ZReleaseState = z.enum(RELEASE_STATES);
export type TReleaseState = z.infer<typeof ZReleaseState>;

export const FINISHED_STATES: readonly TReleaseState[] = ['rolled_back', 'completed', 'aborted'];
export const ACTIVE_STATES: readonly TReleaseState[] = ['running', 'paused', 'rolling_back'];

export const RELEASE_ACTIONS = ['start', 'ramp', 'pause', 'resume', 'rollback', 'complete', 'abort'] as const;
export const ZReleaseAction = z.enum(RELEASE_ACTIONS);
export type TReleaseAction = z.infer<typeof ZReleaseAction>;

export const CHECKLIST_STATUSES = ['open', 'done', 'skipped'] as const;
export const ZChecklistStatus = z.enum(CHECKLIST_STATUSES);
export type TChecklistStatus = z.infer<typeof ZChecklistStatus>;

/** on_rollback: the rollback procedure (previous image, database restore, verification); it opens when a rollback starts. */
export const CHECKLIST_PHASES = ['before_start', 'stage', 'after_completion', 'on_rollback'] as const;
export const ZChecklistPhase = z.enum(CHECKLIST_PHASES);
export type TChecklistPhase = z.infer<typeof ZChecklistPhase>;

export const APPROVAL_DECISIONS = ['approve', 'reject'] as const;
export const ZApprovalDecision = z.enum(APPROVAL_DECISIONS);
export type TApprovalDecision = z.infer<typeof ZApprovalDecision>;

export const COHORTS = ['canary', 'baseline'] as const;
export const ZCohort = z.enum(COHORTS);
export type TCohort = z.infer<typeof ZCohort>;

export const GATE_SEVERITIES = ['warn', 'pause', 'rollback'] as const;
export const ZGateSeverity = z.enum(GATE_SEVERITIES);
export type TGateSeverity = z.infer<typeof ZGateSeverity>;

export const GATE_VERDICTS = ['pass', 'warn', 'fail', 'inconclusive'] as const;
export const ZGateVerdict = z.enum(GATE_VERDICTS);
export type TGateVerdict = z.infer<typeof ZGateVerdict>;

/** Metric names Rampart understands; any other name is a business metric. */
export const BUILT_IN_METRICS = [
  'requests',
  'errors',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'health_ok',
] as const;
/** Derived per window as errors / requests, as a fraction (0.01 is 1%). */
export const DERIVED_METRICS = ['error_rate'] as const;

export const TOKEN_SCOPES = [
  'releases:read',
  'releases:write',
  'metrics:write',
  'traffic:ack',
  'playbooks:write',
  /** Incident tools (alert webhooks, paging) report problems on releases and nothing else. */
  'incidents:write',
  'admin',
] as const;
export const ZTokenScope = z.enum(TOKEN_SCOPES);
export type TTokenScope = z.infer<typeof ZTokenScope>;

export const BLOCKER_KINDS = [
  'bake_time',
  'approval_missing',
  'approval_rejected',
  'checklist_open',
  'gate_failing',
  'gate_inconclusive',
  /** An admin stopped the line: no release starts or ramps until the freeze is lifted. */
  'freeze',
  /** The playbook allows starting or ramping only inside its release windows. */
  'outside_window',
  /** An open incident whose playbook response is to hold the next ramp. */
  'incident_open',
] as const;
export const ZBlockerKind = z.enum(BLOCKER_KINDS);
export type TBlockerKind = z.infer<typeof ZBlockerKind>;

export const MESSAGE_KINDS = ['announcement', 'progress', 'complete', 'rollback', 'incident'] as const;
export const ZMessageKind = z.enum(MESSAGE_KINDS);
export type TMessageKind = z.infer<typeof ZMessageKind>;

/** Both common scales; a playbook's incidentScale says which one its releases use. */
export const INCIDENT_SEVERITIES = ['P0', 'P1', 'P2', 'P3', 'SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export const ZIncidentSeverity = z.enum(INCIDENT_SEVERITIES);
export type TIncidentSeverity = z.infer<typeof ZIncidentSeverity>;

export const INCIDENT_SCALES = {
  'P0-P3': ['P0', 'P1', 'P2', 'P3'],
  'SEV1-SEV4': ['SEV1', 'SEV2', 'SEV3', 'SEV4'],
} as const satisfies Record<string, readonly TIncidentSeverity[]>;
export const ZIncidentScale = z.enum(['P0-P3', 'SEV1-SEV4']);
export type TIncidentScale = z.infer<typeof ZIncidentScale>;

/** What someone reports on a release. `incident` carries a severity from the playbook's scale. */
export const PROBLEM_KINDS = ['security', 'data_integrity', 'critical_flow', 'user_reports', 'incident', 'other'] as const;
export const ZProblemKind = z.enum(PROBLEM_KINDS);
export type TProblemKind = z.infer<typeof ZProblemKind>;

export const INCIDENT_STATUSES = ['open', 'mitigated', 'resolved'] as const;
export const ZIncidentStatus = z.enum(INCIDENT_STATUSES);
export type TIncidentStatus = z.infer<typeof ZIncidentStatus>;

/** What a playbook makes of a reported problem: the strongest matching response wins. */
export const INCIDENT_ACTIONS = ['notify', 'hold', 'pause', 'rollback'] as const;
export const ZIncidentAction = z.enum(INCIDENT_ACTIONS);
export type TIncidentAction = z.infer<typeof ZIncidentAction>;

/** The moments at which a message template goes out by itself. */
export const MESSAGE_MOMENTS = ['start', 'ramp', 'full_traffic', 'pause', 'rollback', 'rolled_back', 'complete', 'incident'] as const;
export const ZMessageMoment = z.enum(MESSAGE_MOMENTS);
export type TMessageMoment = z.infer<typeof ZMessageMoment>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const ZWeekday = z.enum(WEEKDAYS);
export type TWeekday = z.infer<typeof ZWeekday>;
