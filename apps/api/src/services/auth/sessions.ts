import type { TActor } from '@rampart/domain';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/prisma.js';
import { actorOfUser } from './actors.js';
import type { TCredential } from './revocations.js';
import { announceRevocation } from './revocations.js';
import { hashSecret, newSecret } from './secrets.js';

export async function createSession(db: Db, userId: string, clock: Clock, hours: number) {
  const token = newSecret();
  const expiresAt = new Date(clock.now().getTime() + hours * 3600_000);
  await db.session.create({ data: { tokenHash: hashSecret(token), userId, expiresAt } });
  return { token, expiresAt };
}

export async function actorOfSession(db: Db, token: string, clock: Clock): Promise<{ actor: TActor; credential: TCredential } | null> {
  const session = await db.session.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: true } });
  if (!session || session.expiresAt <= clock.now() || session.user.disabled) return null;
  return {
    actor: actorOfUser(session.user),
    credential: { kind: 'session', id: session.id, userId: session.userId, expiresAt: session.expiresAt },
  };
}

/** Whether a credential a socket holds is still valid (it may have been revoked while the socket opened). */
export async function credentialStillValid(db: Db, credential: TCredential, clock: Clock): Promise<boolean> {
  const now = clock.now();
  if (credential.kind === 'session') {
    const session = await db.session.findUnique({ where: { id: credential.id }, include: { user: true } });
    return !!session && session.expiresAt > now && !session.user.disabled;
  }
  const token = await db.apiToken.findUnique({ where: { id: credential.id }, include: { user: true } });
  return !!token && !token.revokedAt && (!token.expiresAt || token.expiresAt > now) && !token.user.disabled;
}

export async function endSession(db: Db, token: string): Promise<void> {
  const session = await db.session.findUnique({ where: { tokenHash: hashSecret(token) }, select: { id: true } });
  if (!session) return;
  await db.session.deleteMany({ where: { id: session.id } });
  announceRevocation({ kind: 'session', sessionId: session.id });
}
