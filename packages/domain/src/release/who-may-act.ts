// Whose release is whose. Stopping harm is everyone's job: whoever may act on releases may pause or roll
// back any of them (on-call must be able to stop anything, at night, without finding the owner). Moving a
// release forward, or forcing past its blockers, is its owner's decision, or an admin's.
import type { TReleaseAction } from '@rampart/contracts';
import type { TActor } from '../auth/permissions.js';

/** The actions anyone with release:act may take on any release. */
export const EMERGENCY_ACTIONS: readonly TReleaseAction[] = ['pause', 'rollback'];

/** Null when the actor may take the action on a release owned by `ownerId`; otherwise why not. */
export function whyNotYours(actor: TActor, action: TReleaseAction, ownerId: string, force: boolean): string | null {
  if (actor.role === 'admin' || actor.kind === 'system') return null;
  if (EMERGENCY_ACTIONS.includes(action) && !force) return null;
  if (actor.userId !== null && actor.userId === ownerId) return null;
  return `Only the release's owner or an admin can ${force ? `force ${action}` : action} this release; anyone may pause or roll it back`;
}
