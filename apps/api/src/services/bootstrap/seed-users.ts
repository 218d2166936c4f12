import type { TApprovalRole, TUserRole } from '@rampart/contracts';
import type { Db } from '../../db/prisma.js';
import type { TScryptCost } from '../auth/passwords.js';
import { createUser } from '../users/users.js';

export const DEMO_PASSWORD = 'rampart';

export const DEMO_USERS: readonly { email: string; name: string; role: TUserRole; approvalRoles: TApprovalRole[] }[] = [
  { email: 'admin@rampart.test', name: 'Ada Admin', role: 'admin', approvalRoles: [] },
  { email: 'owner@rampart.test', name: 'Owen Owner', role: 'release_owner', approvalRoles: [] },
  { email: 'product@rampart.test', name: 'Priya Product', role: 'approver', approvalRoles: ['product'] },
  { email: 'security@rampart.test', name: 'Sam Security', role: 'approver', approvalRoles: ['security'] },
  { email: 'infra@rampart.test', name: 'Ines Infrastructure', role: 'approver', approvalRoles: ['infrastructure'] },
  { email: 'eng@rampart.test', name: 'Eli Engineering', role: 'approver', approvalRoles: ['engineering'] },
  { email: 'support@rampart.test', name: 'Sol Support', role: 'viewer', approvalRoles: [] },
];

/** Demo mode only: one user per role, all with the password "rampart". Returns the emails created. */
export async function seedDemoUsers(db: Db, cost?: TScryptCost): Promise<string[]> {
  const existing = new Set((await db.user.findMany({ select: { email: true } })).map((u) => u.email));
  const missing = DEMO_USERS.filter((user) => !existing.has(user.email));
  // In parallel: scrypt runs on libuv's thread pool, so the hashes share the cores.
  await Promise.all(missing.map((user) => createUser({ db }, { ...user, password: DEMO_PASSWORD }, cost)));
  return missing.map((user) => user.email);
}

/** Outside demo mode the first admin comes from RAMPART_ADMIN_EMAIL / RAMPART_ADMIN_PASSWORD, once. */
export async function seedFirstAdmin(db: Db, admin: { email: string; password: string }): Promise<boolean> {
  if ((await db.user.count({ where: { role: 'admin' } })) > 0) return false;
  await createUser({ db }, { email: admin.email, name: 'Administrator', password: admin.password, role: 'admin', approvalRoles: [] });
  return true;
}
