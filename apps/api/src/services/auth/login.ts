import type { Db } from '../../db/prisma.js';
import { ServiceError } from '../../errors.js';
import { verifyPassword } from './passwords.js';

// Verified when the email is unknown, so a wrong email takes as long as a wrong password.
const DUMMY_HASH = 'scrypt$32768$8$3$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export async function checkCredentials(db: Db, email: string, password: string) {
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() } });
  const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !matches || user.disabled) {
    throw new ServiceError('unauthorized', 'Email or password is wrong');
  }
  return user;
}
