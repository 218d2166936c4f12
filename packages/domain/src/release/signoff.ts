// Rules for signing off or rejecting, and for ticking checklist items.
import type { TApprovalDecision, TApprovalRole } from '@rampart/contracts';
import type { TActor } from '../auth/permissions.js';
import type { TChecklistItemSnapshot, TReleaseSnapshot } from './snapshot.js';
import { rollbackStarted } from './procedure.js';
import { isFinished } from './transitions.js';

export type TSignoffRefusal =
  | { kind: 'forbidden'; message: string }
  | { kind: 'not_found'; field: string; message: string }
  | { kind: 'conflict'; message: string }
  | { kind: 'invalid'; field: string; message: string };

export interface TSignoffRequest {
  role: TApprovalRole;
  decision: TApprovalDecision;
  stageKey: string | null;
}

export function checkSignoff(release: TReleaseSnapshot, actor: TActor, request: TSignoffRequest): TSignoffRefusal | null {
  if (actor.userId !== null && actor.userId === release.ownerId) {
    return { kind: 'forbidden', message: 'The release owner cannot sign off their own release' };
  }
  if (!actor.approvalRoles.includes(request.role)) {
    return { kind: 'forbidden', message: `Signing off as ${request.role} needs the ${request.role} approval role` };
  }
  if (isFinished(release.state)) {
    return { kind: 'conflict', message: `The release is ${release.state.replace('_', ' ')}; sign-offs are closed` };
  }
  if (request.stageKey === null) {
    if (release.state !== 'draft' && release.state !== 'ready') {
      return { kind: 'conflict', message: 'The release has started; sign-offs before start are closed' };
    }
    if (!release.approvalsBeforeStart.some((r) => r.role === request.role)) {
      return { kind: 'invalid', field: 'role', message: `The playbook asks for no ${request.role} sign-off before start` };
    }
    return null;
  }
  const index = release.stages.findIndex((s) => s.key === request.stageKey);
  const stage = release.stages[index];
  if (!stage) return { kind: 'not_found', field: 'stage', message: `No stage "${request.stageKey}" in this release` };
  if (index <= release.currentStageIndex) {
    return { kind: 'conflict', message: `The release has already entered ${stage.name}` };
  }
  if (!stage.signoff.some((r) => r.role === request.role)) {
    return { kind: 'invalid', field: 'role', message: `${stage.name} asks for no ${request.role} sign-off` };
  }
  return null;
}

/** Admins and release owners tick anything; an approver ticks the items their approval role owns. */
export function canUpdateChecklistItem(actor: TActor, item: TChecklistItemSnapshot & { ownerRole: string }): boolean {
  if (actor.role === 'admin' || actor.role === 'release_owner') return true;
  return actor.approvalRoles.some((role) => role === item.ownerRole);
}

/**
 * The rollback procedure's items move only once a rollback has started (and stay open to the end). After a
 * release finishes, only its after-completion items, and the procedure of a rollback, still move.
 */
export function checkChecklistUpdate(release: TReleaseSnapshot, item: TChecklistItemSnapshot): TSignoffRefusal | null {
  if (item.phase === 'on_rollback') {
    if (rollbackStarted(release.state)) return null;
    return {
      kind: 'conflict',
      message: `"${item.text}" belongs to the rollback procedure (phase on_rollback): it opens when a rollback starts, and the release is ${release.state.replace('_', ' ')}`,
    };
  }
  if (isFinished(release.state) && item.phase !== 'after_completion') {
    return {
      kind: 'conflict',
      message: `The release is ${release.state.replace('_', ' ')}; only its after-completion items can still change`,
    };
  }
  return null;
}
