import { z } from 'zod';
import { ZApprovalRole, ZTokenScope, ZUserRole } from './enums.js';
import { ZIsoDate, ZUuid } from './common.js';

export const ZLoginBody = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(200),
});

export const ZMe = z.object({
  id: ZUuid,
  email: z.string(),
  name: z.string(),
  role: ZUserRole,
  approvalRoles: z.array(ZApprovalRole),
  /** How the request was authenticated. */
  via: z.enum(['session', 'token']),
}).meta({ id: 'Me' });
export type TMe = z.infer<typeof ZMe>;

export const ZUser = z.object({
  id: ZUuid,
  email: z.string(),
  name: z.string(),
  role: ZUserRole,
  approvalRoles: z.array(ZApprovalRole),
  disabled: z.boolean(),
  createdAt: ZIsoDate,
}).meta({ id: 'User' });
export type TUser = z.infer<typeof ZUser>;

const ZPassword = z.string().min(8, 'must be at least 8 characters').max(200);

export const ZCreateUserBody = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  password: ZPassword,
  role: ZUserRole,
  approvalRoles: z.array(ZApprovalRole).max(4).default([]),
});

export const ZUpdateUserBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    password: ZPassword.optional(),
    role: ZUserRole.optional(),
    approvalRoles: z.array(ZApprovalRole).max(4).optional(),
    disabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'give at least one field to change' });

export const ZApiTokenInfo = z.object({
  id: ZUuid,
  name: z.string(),
  prefix: z.string().describe('The first characters of the token, to tell tokens apart'),
  scopes: z.array(ZTokenScope),
  user: z.object({ id: ZUuid, email: z.string() }),
  createdAt: ZIsoDate,
  expiresAt: ZIsoDate.nullable(),
  lastUsedAt: ZIsoDate.nullable(),
  revokedAt: ZIsoDate.nullable(),
}).meta({ id: 'ApiTokenInfo' });
export type TApiTokenInfo = z.infer<typeof ZApiTokenInfo>;

export const ZCreateTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(ZTokenScope).min(1).max(10),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
  /** Admins may issue a token acting as another user (a pipeline's service account). */
  userId: ZUuid.optional(),
});

export const ZCreatedToken = ZApiTokenInfo.extend({
  token: z.string().describe('Shown once: Rampart stores only its hash'),
});
