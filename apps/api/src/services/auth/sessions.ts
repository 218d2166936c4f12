import type { TActor } from '@rampart/domain';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/prisma.js';
import { actorOfUser } from './actors.js';
import { hashSecret, newSecret } from './secrets.js';

export async function createSession(db: Db, userId: string, clock: Clock, hours: number) {
  const token = newSecret();
  const expiresAt = new Date(clock.now().getTime() + hours * 3600_000);
  await db.session.create({ data: { tokenHash: hashSecret(token), userId, expiresAt } });
  return { token, expiresAt };
}

export async function actorOfSession(db: Db, token: string, clock: Clock): Promise<TActor | null> {
  const session = await db.session.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: true } });
  if (!session || session.expiresAt <= clock.now() || session.user.disabled) return null;
  return actorOfUser(session.user);
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.session.deleteMany({ where: { tokenHash: hashSecret(token) } });
}
