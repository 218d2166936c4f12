import type { Db } from '../../db/prisma.js';
import { ServiceError } from '../../errors.js';
import { verifyPassword } from './passwords.js';
import type { TAttemptGuard } from './passwords.js';

// Verified when the email is unknown, so a wrong email takes as long as a wrong password.
const DUMMY_HASH = 'scrypt$32768$8$3$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** A guard (the login throttle) may refuse the attempt when its turn to hash comes; see verifyPassword. */
export async function checkCredentials(db: Db, email: string, password: string, guard?: TAttemptGuard) {
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() } });
  const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH, guard);
  // A disabled account's right password counts as a failure too: guessing it must be no cheaper.
  if (user?.disabled && matches) await guard?.failed();
  if (!user || !matches || user.disabled) {
    throw new ServiceError('unauthorized', 'Email or password is wrong');
  }
  return user;
}
