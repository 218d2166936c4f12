// What the lifecycle rules need to know about a release: a plain value, loaded by the API from the
// database and handed back changed. Nothing here knows about HTTP or storage.
import type {
  TApprovalDecision,
  TApprovalRequirement,
  TApprovalRole,
  TBlockerKind,
  TChecklistPhase,
  TChecklistStatus,
  TGateSeverity,
  TGateVerdict,
  TIncidentAction,
  TReleaseState,
  TReleaseWindowSpec,
} from '@rampart/contracts';

export interface TStageSnapshot {
  key: string;
  name: string;
  trafficPercent: number;
  minBakeSeconds: number;
  signoff: TApprovalRequirement[];
  enteredAt: Date | null;
  exitedAt: Date | null;
}

export interface TChecklistItemSnapshot {
  key: string;
  text: string;
  phase: TChecklistPhase;
  stageKey: string | null;
  required: boolean;
  status: TChecklistStatus;
}

/** A decision that has not been superseded. */
export interface TApprovalSnapshot {
  role: TApprovalRole;
  stageKey: string | null;
  decision: TApprovalDecision;
  userId: string;
  /** The approver's words; a rejection's blocker quotes them, so the owner knows what to fix. */
  comment?: string | undefined;
}

export interface TReleaseSnapshot {
  state: TReleaseState;
  ownerId: string;
  /** -1 before the release starts. */
  currentStageIndex: number;
  desiredPercent: number;
  acknowledgedPercent: number;
  stages: TStageSnapshot[];
  checklist: TChecklistItemSnapshot[];
  approvalsBeforeStart: TApprovalRequirement[];
  approvals: TApprovalSnapshot[];
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The playbook's release windows; none (or omitted): a release may start and ramp at any time. */
  windows?: readonly TReleaseWindowSpec[] | undefined;
  /** The freeze in force, if any: it is global, so the loader reads it beside the release. */
  freeze?: TFreezeFact | null | undefined;
  /** Open incidents on the release whose response holds it (hold, pause or rollback). */
  incidents?: readonly TIncidentFact[] | undefined;
}

/** "Stop the line": declared by an admin for every release. */
export interface TFreezeFact {
  reason: string;
  /** Who declared it, by name. */
  declaredBy: string;
  declaredAt: Date;
}

export interface TIncidentFact {
  id: string;
  title: string;
  /** Null for a problem reported without a severity (a security finding, user reports). */
  severity: string | null;
  kind: string;
  action: TIncidentAction;
}

/** A gate's latest verdict, as the judgement engine reports it for the current stage. */
export interface TGateStatus {
  key: string;
  name: string;
  severity: TGateSeverity;
  verdict: TGateVerdict;
}

export interface TBlocker {
  kind: TBlockerKind;
  message: string;
  /** Machine-readable specifics: seconds left, the role missing, the item key, the gate key. */
  detail: Record<string, string | number>;
}

export function currentStage(release: TReleaseSnapshot): TStageSnapshot | null {
  return release.stages[release.currentStageIndex] ?? null;
}

export function nextStage(release: TReleaseSnapshot): TStageSnapshot | null {
  return release.stages[release.currentStageIndex + 1] ?? null;
}
