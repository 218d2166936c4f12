// Whose release is whose, as the server decides it (whyNotYours in the domain): the page disables what the
// signed-in person would only be refused with a 403, and says why, rather than offering it.
import type { TActionAvailability, TMe, TRelease } from '@rampart/contracts';
import { whyNotYours } from '@rampart/domain/who-may-act';

export function withOwnership(action: TActionAvailability, release: Pick<TRelease, 'owner'>, me: TMe | null | undefined): TActionAvailability {
  if (!me) return action;
  const actor = { kind: 'user' as const, userId: me.id, name: me.email, role: me.role, approvalRoles: me.approvalRoles };
  const reason = whyNotYours(actor, action.action, release.owner.id, false);
  if (reason === null) return action;
  return { ...action, allowed: false, forceable: false, reason, blockers: [] };
}
