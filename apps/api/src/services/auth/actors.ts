import type { TApprovalRole, TTokenScope, TUserRole } from '@rampart/contracts';
import type { TActor } from '@rampart/domain';

interface TUserRow {
  id: string;
  email: string;
  role: TUserRole;
  approvalRoles: TApprovalRole[];
}

export function actorOfUser(user: TUserRow): TActor {
  return { kind: 'user', userId: user.id, name: user.email, role: user.role, approvalRoles: user.approvalRoles };
}

export function actorOfToken(token: { name: string; scopes: string[] }, user: TUserRow): TActor {
  return {
    kind: 'token',
    userId: user.id,
    name: `${user.email} (token ${token.name})`,
    role: user.role,
    approvalRoles: user.approvalRoles,
    scopes: token.scopes as TTokenScope[],
  };
}

/** The automation's own identity in the event log. */
export const AUTOPILOT: TActor = { kind: 'system', userId: null, name: 'autopilot', role: 'admin', approvalRoles: [] };
