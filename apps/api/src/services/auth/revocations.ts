// A credential that stops being valid must stop working everywhere it is in use, including on sockets
// that authenticated once at their upgrade. The auth services announce each revocation here; the live
// hub (and, through it, the other instances) closes the matching sockets. In process and synchronous:
// a listener must not throw.
import { EventEmitter } from 'node:events';

export type TRevocation =
  /** Logout, or a session's expiry. */
  | { kind: 'session'; sessionId: string }
  | { kind: 'token'; tokenId: string }
  /**
   * The user was disabled or their role changed (`all`: sessions and tokens), or their password changed
   * (`sessions`: every session ended; their tokens stay valid by design).
   */
  | { kind: 'user'; userId: string; credentials: 'all' | 'sessions' };

export const revocations = new EventEmitter<{
  /** Revoked by this instance: its listeners act, and the live hub tells the other instances. */
  revoked: [TRevocation];
  /** Revoked by another instance (relayed by the live listener): acted on here, never told on. */
  revokedElsewhere: [TRevocation];
  /** A user's name or approval roles changed (no access taken away): cached actors of theirs go stale. */
  userChanged: [string];
}>();
revocations.setMaxListeners(0);

export function announceRevocation(revocation: TRevocation): void {
  revocations.emit('revoked', revocation);
}

/** A revocation another instance announced, as the live listener receives it. */
export function relayRevocation(revocation: TRevocation): void {
  revocations.emit('revokedElsewhere', revocation);
}

export function announceUserChange(userId: string): void {
  revocations.emit('userChanged', userId);
}

/** What a request authenticated with: kept by a socket so a later revocation finds it. */
export interface TCredential {
  kind: 'session' | 'token';
  /** The session's or the token's id. */
  id: string;
  userId: string;
  /** When it stops being valid on its own (null: never). */
  expiresAt: Date | null;
}
