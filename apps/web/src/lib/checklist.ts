// Who may tick which checklist item now (the server's rules, so the page offers only what it would allow),
// and which sections start unfolded.
import type { TChecklistItem, TMe, TRelease } from '@rampart/contracts';
import { rollbackFirst } from './rollback';

const FINISHED = ['completed', 'rolled_back', 'aborted'];

type TReleaseLike = Pick<TRelease, 'state' | 'stages' | 'currentStageIndex'>;
type TItemLike = Pick<TChecklistItem, 'phase' | 'ownerRole' | 'status' | 'stageKey'>;

/** The phase that can still change once a release has finished: completion's follow-up, or the rollback's procedure. */
function openAfterFinish(release: TReleaseLike, item: TItemLike): boolean {
  return item.phase === 'after_completion' || (item.phase === 'on_rollback' && rollbackFirst(release));
}

export function mayUpdateItem(me: Pick<TMe, 'role' | 'approvalRoles'>, release: TReleaseLike, item: TItemLike): boolean {
  if (item.phase === 'on_rollback' && !rollbackFirst(release)) return false;
  if (FINISHED.includes(release.state) && !openAfterFinish(release, item)) return false;
  if (me.role === 'admin' || me.role === 'release_owner') return true;
  return me.approvalRoles.some((role) => role === item.ownerRole);
}

/** The open items "Mark section done" would tick for this person: what the button counts. */
export function tickableInSection(me: Pick<TMe, 'role' | 'approvalRoles'>, release: TReleaseLike, items: TItemLike[]): number {
  return items.filter((item) => item.status === 'open' && mayUpdateItem(me, release, item)).length;
}

/** The phase the release is in is unfolded; after a rollback, only its procedure is. */
export function phaseOpenByDefault(phase: TChecklistItem['phase'], release: TReleaseLike): boolean {
  if (rollbackFirst(release)) return phase === 'on_rollback';
  if (phase === 'before_start') return ['draft', 'ready'].includes(release.state);
  if (phase === 'stage') return !['draft', 'ready'].includes(release.state);
  if (phase === 'after_completion') return FINISHED.includes(release.state);
  return false;
}

/**
 * Inside an unfolded phase, a section starts open when it still has open items, and during the stages
 * only when it holds the current stage's items (or items for no stage): the rest fold to one line.
 */
export function sectionOpenByDefault(phase: TChecklistItem['phase'], release: TReleaseLike, items: TItemLike[]): boolean {
  if (!phaseOpenByDefault(phase, release)) return false;
  if (!items.some((item) => item.status === 'open')) return false;
  if (phase !== 'stage') return true;
  const current = release.stages[release.currentStageIndex]?.key ?? null;
  return items.some((item) => item.stageKey === null || item.stageKey === current);
}
