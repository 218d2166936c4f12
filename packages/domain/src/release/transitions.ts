// The legal moves of the release state machine, in one table.
import type { TBlockerKind, TReleaseAction, TReleaseState } from '@rampart/contracts';
import { FINISHED_STATES } from '@rampart/contracts';

/** From which states each action may be taken. */
export const ACTION_SOURCES: Record<TReleaseAction, readonly TReleaseState[]> = {
  start: ['draft', 'ready'],
  ramp: ['running'],
  pause: ['running'],
  resume: ['paused'],
  rollback: ['running', 'paused'],
  complete: ['running'],
  abort: ['draft', 'ready'],
};

/** Actions whose blockers a person may override by forcing, with a written reason. */
export const FORCEABLE_ACTIONS: readonly TReleaseAction[] = ['start', 'ramp', 'complete'];

/**
 * Blockers no force waives. A sign-off is the approver's to give or withhold: the owner forcing past it, or an
 * admin doing so, would make the playbook's approvals advisory. Only the approvers clear these, by signing off.
 * A freeze stops the line for everyone, admins too: only ending it lifts it. (A release window is the owner's
 * call and can be forced, with a reason.)
 */
export const BINDING_BLOCKERS: readonly TBlockerKind[] = ['approval_missing', 'approval_rejected', 'freeze'];

export function isBinding(blocker: { kind: TBlockerKind }): boolean {
  return BINDING_BLOCKERS.includes(blocker.kind);
}

export function isFinished(state: TReleaseState): boolean {
  return FINISHED_STATES.includes(state);
}

export function isLegal(action: TReleaseAction, state: TReleaseState): boolean {
  return ACTION_SOURCES[action].includes(state);
}

export function legalActions(state: TReleaseState): TReleaseAction[] {
  return (Object.keys(ACTION_SOURCES) as TReleaseAction[]).filter((action) => isLegal(action, state));
}
