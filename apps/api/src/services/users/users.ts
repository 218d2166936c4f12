import type { TApprovalRole, TUser, TUserRole } from '@rampart/contracts';
import { ServiceError, invalidBody, notFound, uniqueViolationOf } from '../../errors.js';
import type { TScryptCost } from '../auth/passwords.js';
import { hashPassword } from '../auth/passwords.js';
import type { TServiceContext } from '../context.js';

interface TUserRow {
  id: string;
  email: string;
  name: string;
  role: TUserRole;
  approvalRoles: TApprovalRole[];
  disabled: boolean;
  createdAt: Date;
}

export function toUser(row: TUserRow): TUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    approvalRoles: row.approvalRoles,
    disabled: row.disabled,
    createdAt: row.createdAt.toISOString(),
  };
}

function checkApprovalRoles(role: TUserRole, approvalRoles: TApprovalRole[]): void {
  if (approvalRoles.length > 0 && role !== 'approver' && role !== 'admin') {
    throw invalidBody('approvalRoles', 'only approvers (and admins) hold approval roles');
  }
  if (role === 'approver' && approvalRoles.length === 0) {
    throw invalidBody('approvalRoles', 'an approver needs at least one approval role');
  }
}

export interface TNewUser {
  email: string;
  name: string;
  password: string;
  role: TUserRole;
  approvalRoles: TApprovalRole[];
}

export async function createUser(ctx: Pick<TServiceContext, 'db'>, input: TNewUser, cost?: TScryptCost) {
  checkApprovalRoles(input.role, input.approvalRoles);
  const email = input.email.toLowerCase();
  const taken = () => new ServiceError('conflict', `A user with the email ${email} exists already`, { field: 'body.email' });
  if (await ctx.db.user.findUnique({ where: { email } })) throw taken();
  const passwordHash = await hashPassword(input.password, cost);
  try {
    const row = await ctx.db.user.create({
      data: { email, name: input.name, passwordHash, role: input.role, approvalRoles: [...new Set(input.approvalRoles)] },
    });
    return toUser(row);
  } catch (error) {
    // A concurrent create of the same email got past the check above; the unique index decides.
    if (uniqueViolationOf(error)) throw taken();
    throw error;
  }
}

export async function listUsers(ctx: TServiceContext) {
  return (await ctx.db.user.findMany({ orderBy: { email: 'asc' } })).map(toUser);
}

export async function updateUser(
  ctx: TServiceContext,
  id: string,
  input: Partial<Omit<TNewUser, 'email'>> & { disabled?: boolean | undefined },
) {
  const existing = await ctx.db.user.findUnique({ where: { id } });
  if (!existing) throw notFound('User');
  const role = input.role ?? existing.role;
  const approvalRoles = input.approvalRoles ?? (input.role && input.role !== 'approver' && input.role !== 'admin' ? [] : existing.approvalRoles);
  checkApprovalRoles(role, approvalRoles);
  if (id === ctx.actor.userId && (input.disabled || (input.role && input.role !== 'admin'))) {
    throw new ServiceError('conflict', 'You cannot disable yourself or give up your own admin role');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const row = await ctx.db.$transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id },
      data: {
        name: input.name,
        role,
        approvalRoles,
        disabled: input.disabled,
        passwordHash,
      },
    });
    // A disabled user or a new password ends every open session.
    if (input.disabled || input.password) await tx.session.deleteMany({ where: { userId: id } });
    return updated;
  });
  return toUser(row);
}
