// Whose contacts are whose: naming who gets woken at night is the release owner's call, or an admin's.
import type { TActor } from '../auth/permissions.js';

/** Null when the actor may set the contacts of a release owned by `ownerId`; otherwise why not. */
export function whyNotYourContacts(actor: TActor, ownerId: string): string | null {
  if (actor.role === 'admin' || actor.kind === 'system') return null;
  if (actor.userId !== null && actor.userId === ownerId) return null;
  return "Only the release's owner or an admin can change who it pages";
}
