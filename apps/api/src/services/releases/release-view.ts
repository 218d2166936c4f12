// The release as the API shows it: its record, plus what can be done next and why not.
import type { TApprovalRole, TChecklistOwner, TRelease, TReleaseSummary, TUserRef } from '@rampart/contracts';
import { FINISHED_STATES } from '@rampart/contracts';
import type { TGateStatus } from '@rampart/domain';
import { actionAvailability, rollbackProcedure } from '@rampart/domain';
import type { TReleaseRecord, TReleaseRow, TReleaseViewRow } from './release-record.js';

/** A record as the page needs it: the large JSON columns may be left out of the row. */
type TViewRecord = Pick<TReleaseRecord, 'spec' | 'snapshot'> & { row: TReleaseViewRow };

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function userRef(user: { id: string; name: string; email: string }): TUserRef {
  return { id: user.id, name: user.name, email: user.email };
}

type TSummaryRow = Pick<
  TReleaseRow,
  | 'id'
  | 'service'
  | 'version'
  | 'owner'
  | 'playbookId'
  | 'playbookKey'
  | 'playbookName'
  | 'playbookVersion'
  | 'state'
  | 'currentStageIndex'
  | 'desiredPercent'
  | 'acknowledgedPercent'
  | 'revision'
  | 'createdAt'
  | 'updatedAt'
  | 'startedAt'
  | 'finishedAt'
> & { stages: { key: string; name: string; position: number; trafficPercent: number }[] };

export function toReleaseSummary(row: TSummaryRow): Omit<TReleaseSummary, 'rollbackProcedure'> {
  const stage = row.stages[row.currentStageIndex];
  return {
    id: row.id,
    service: row.service,
    version: row.version,
    owner: userRef(row.owner),
    playbook: { id: row.playbookId, key: row.playbookKey, name: row.playbookName, version: row.playbookVersion },
    state: row.state,
    currentStage: stage
      ? { key: stage.key, name: stage.name, position: stage.position, trafficPercent: stage.trafficPercent }
      : null,
    stageCount: row.stages.length,
    desiredPercent: row.desiredPercent,
    acknowledgedPercent: row.acknowledgedPercent,
    revision: row.revision,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

/** An unsatisfied sign-off that can no longer be given would otherwise read "Waiting" forever. */
function closedReason(row: TReleaseViewRow, stageKey: string | null): 'forced_past' | 'release_finished' | null {
  const passed = stageKey === null ? row.startedAt !== null : row.stages.some((s) => s.key === stageKey && s.enteredAt !== null);
  if (passed) return 'forced_past';
  return FINISHED_STATES.includes(row.state) ? 'release_finished' : null;
}

function approvalStatus(record: TViewRecord) {
  const { row, spec } = record;
  const requirements = [
    ...spec.approvalsBeforeStart.map((r) => ({ ...r, stageKey: null as string | null })),
    ...spec.stages.flatMap((stage) => stage.signoff.map((r) => ({ ...r, stageKey: stage.key as string | null }))),
  ];
  return requirements.map((requirement) => {
    const decisions = row.approvals.filter((a) => a.role === requirement.role && a.stageKey === requirement.stageKey);
    const approvedBy = decisions.filter((a) => a.decision === 'approve').map((a) => userRef(a.user));
    const rejectedBy = decisions.filter((a) => a.decision === 'reject').map((a) => userRef(a.user));
    const satisfied = approvedBy.length >= requirement.count && rejectedBy.length === 0;
    return {
      role: requirement.role as TApprovalRole,
      stageKey: requirement.stageKey,
      count: requirement.count,
      approvedBy,
      rejectedBy,
      satisfied,
      closed: satisfied ? null : closedReason(row, requirement.stageKey),
    };
  });
}

export function toReleaseDto(record: TViewRecord, now: Date, gates: readonly TGateStatus[] = []): TRelease {
  return { ...releaseWithoutActions(record), actions: actionAvailability(record.snapshot, { now, gates }) };
}

/** Everything but the actions, which alone change with the clock and the latest verdicts. */
export function releaseWithoutActions(record: TViewRecord): Omit<TRelease, 'actions'> {
  const { row, spec } = record;
  return {
    ...toReleaseSummary(row),
    notes: row.notes,
    currentStageIndex: row.currentStageIndex,
    stages: row.stages.map((stage) => ({
      position: stage.position,
      key: stage.key,
      name: stage.name,
      trafficPercent: stage.trafficPercent,
      minBakeSeconds: stage.minBakeSeconds,
      maxBakeSeconds: spec.stages[stage.position]?.maxBakeSeconds ?? null,
      signoff: spec.stages[stage.position]?.signoff ?? [],
      status: stage.exitedAt ? 'done' : stage.position === row.currentStageIndex ? 'current' : 'pending',
      enteredAt: iso(stage.enteredAt),
      exitedAt: iso(stage.exitedAt),
      bakeEndsAt: stage.enteredAt ? new Date(stage.enteredAt.getTime() + stage.minBakeSeconds * 1000).toISOString() : null,
    })),
    acknowledgedAt: iso(row.acknowledgedAt),
    checklist: row.checklist.map((item) => ({
      id: item.id,
      key: item.key,
      section: item.section,
      text: item.text,
      phase: item.phase as TRelease['checklist'][number]['phase'],
      stageKey: item.stageKey,
      required: item.required,
      ownerRole: item.ownerRole as TChecklistOwner,
      status: item.status,
      note: item.note,
      updatedBy: item.updatedBy ? userRef(item.updatedBy) : null,
      updatedAt: iso(item.updatedAt),
    })),
    rollbackProcedure: rollbackProcedure(record.snapshot),
    previousAttemptId: row.previousAttemptId,
    // One attempt follows a rolled-back release (reopen-release.ts refuses a second).
    nextAttemptId: row.nextAttempts[0]?.id ?? null,
    approvals: {
      required: approvalStatus(record),
      decisions: row.approvals.map((a) => ({
        id: a.id,
        role: a.role,
        stageKey: a.stageKey,
        decision: a.decision,
        comment: a.comment,
        user: userRef(a.user),
        createdAt: a.createdAt.toISOString(),
      })),
    },
  };
}
