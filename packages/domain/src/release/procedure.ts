// The rollback procedure: the playbook's on_rollback checklist (previous image, database restore,
// verification). Traffic at 0% is only half of a rollback; the release reads "rolled back, procedure open"
// until the people doing the rest have ticked its required items.
import type { TReleaseState } from '@rampart/contracts';
import type { TDomainEvent } from './decide.js';
import type { TChecklistItemSnapshot } from './snapshot.js';

export interface TRollbackProcedure {
  open: boolean;
  openRequired: number;
}

/** A rollback has started once the release is rolling back or rolled back; nothing else leads there. */
export function rollbackStarted(state: TReleaseState): boolean {
  return state === 'rolling_back' || state === 'rolled_back';
}

/** Null when the playbook has no rollback procedure or no rollback has started. */
export function rollbackProcedure(release: {
  state: TReleaseState;
  checklist: readonly Pick<TChecklistItemSnapshot, 'phase' | 'required' | 'status'>[];
}): TRollbackProcedure | null {
  const items = release.checklist.filter((item) => item.phase === 'on_rollback');
  if (items.length === 0 || !rollbackStarted(release.state)) return null;
  const openRequired = items.filter((item) => item.required && item.status === 'open').length;
  return { open: openRequired > 0, openRequired };
}

/** The event to record when a checklist change closes the procedure's last open required item. */
export function procedureDone(
  before: Parameters<typeof rollbackProcedure>[0],
  after: Parameters<typeof rollbackProcedure>[0],
): TDomainEvent | null {
  const was = rollbackProcedure(before);
  const is = rollbackProcedure(after);
  if (!was?.open || !is || is.open) return null;
  const required = after.checklist.filter((item) => item.phase === 'on_rollback' && item.required).length;
  return { type: 'rollback.procedure_done', data: { requiredItems: required } };
}
