// Who may do what. A role grants permissions; an API token narrows its owner's permissions to its scopes.
import type { TApprovalRole, TTokenScope, TUserRole } from '@rampart/contracts';

export const PERMISSIONS = [
  /** Reading one's own identity: every role and every token has it. */
  'self',
  /** Managing one's own API tokens: every person, but no token unless it has the admin scope. */
  'token:manage',
  'release:read',
  'release:create',
  'release:act',
  'release:force',
  'checklist:update',
  'approval:sign',
  'traffic:ack',
  'metrics:write',
  'playbook:write',
  /** Reporting a problem on a release, updating an incident, acknowledging a page: everyone signed in, support too. */
  'incident:report',
  'admin',
] as const;
export type TPermission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<TUserRole, readonly TPermission[]> = {
  admin: PERMISSIONS,
  release_owner: [
    'self',
    'token:manage',
    'release:read',
    'release:create',
    'release:act',
    'release:force',
    'checklist:update',
    'traffic:ack',
    'metrics:write',
    'incident:report',
  ],
  approver: ['self', 'token:manage', 'release:read', 'approval:sign', 'checklist:update', 'incident:report'],
  viewer: ['self', 'token:manage', 'release:read', 'incident:report'],
};

const SCOPE_PERMISSIONS: Record<TTokenScope, readonly TPermission[]> = {
  'releases:read': ['release:read'],
  'releases:write': ['release:read', 'release:create', 'release:act', 'checklist:update'],
  'metrics:write': ['metrics:write'],
  'traffic:ack': ['traffic:ack'],
  'playbooks:write': ['playbook:write'],
  'incidents:write': ['release:read', 'incident:report'],
  admin: PERMISSIONS,
};

export interface TActor {
  kind: 'user' | 'token' | 'system';
  userId: string | null;
  /** An email, a token's name, or "autopilot". */
  name: string;
  role: TUserRole;
  approvalRoles: readonly TApprovalRole[];
  /** Present for tokens only. */
  scopes?: readonly TTokenScope[];
}

export function permissionsOf(actor: TActor): Set<TPermission> {
  const granted = new Set(ROLE_PERMISSIONS[actor.role]);
  if (!actor.scopes) return granted;
  const scoped = new Set<TPermission>(['self', ...actor.scopes.flatMap((scope) => SCOPE_PERMISSIONS[scope])]);
  return new Set([...granted].filter((permission) => scoped.has(permission)));
}

export function can(actor: TActor, permission: TPermission): boolean {
  return permissionsOf(actor).has(permission);
}
