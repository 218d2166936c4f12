import type { TApiTokenInfo, TTokenScope } from '@rampart/contracts';
import type { TActor } from '@rampart/domain';
import { can } from '@rampart/domain';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/prisma.js';
import { forbidden, notFound } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { actorOfToken } from './actors.js';
import type { TCredential } from './revocations.js';
import { announceRevocation } from './revocations.js';
import { TOKEN_PREFIX, hashSecret, newSecret } from './secrets.js';

type TTokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  user: { id: string; email: string };
};

export function toTokenInfo(row: TTokenRow): TApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as TTokenScope[],
    user: { id: row.user.id, email: row.user.email },
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiToken(
  ctx: TServiceContext,
  input: { name: string; scopes: TTokenScope[]; expiresInDays?: number | undefined; userId?: string | undefined },
) {
  const userId = input.userId ?? ctx.actor.userId;
  if (!userId) throw forbidden('Only a person can own a token');
  if (userId !== ctx.actor.userId && !can(ctx.actor, 'admin')) throw forbidden('Only an admin issues tokens for others');
  const beyondOwnScopes = input.scopes.filter((scope) => ctx.actor.scopes && !ctx.actor.scopes.includes(scope));
  if (beyondOwnScopes.length > 0) throw forbidden(`A token cannot issue scopes it does not hold: ${beyondOwnScopes.join(', ')}`);
  const user = await ctx.db.user.findUnique({ where: { id: userId } });
  if (!user) throw notFound('User');
  const token = newSecret(TOKEN_PREFIX);
  const expiresAt = input.expiresInDays ? new Date(ctx.clock.now().getTime() + input.expiresInDays * 86_400_000) : null;
  const row = await ctx.db.apiToken.create({
    data: {
      name: input.name,
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      tokenHash: hashSecret(token),
      scopes: [...new Set(input.scopes)],
      userId,
      createdAt: ctx.clock.now(),
      expiresAt,
    },
    include: { user: true },
  });
  return { ...toTokenInfo(row), token };
}

export async function listApiTokens(ctx: TServiceContext) {
  const where = can(ctx.actor, 'admin') ? {} : { userId: ctx.actor.userId ?? '' };
  const rows = await ctx.db.apiToken.findMany({ where, include: { user: true }, orderBy: { createdAt: 'desc' } });
  return rows.map(toTokenInfo);
}

export async function revokeApiToken(ctx: TServiceContext, id: string) {
  const row = await ctx.db.apiToken.findUnique({ where: { id }, include: { user: true } });
  if (!row || (row.userId !== ctx.actor.userId && !can(ctx.actor, 'admin'))) throw notFound('Token');
  const revoked = await ctx.db.apiToken.update({
    where: { id },
    data: { revokedAt: row.revokedAt ?? ctx.clock.now() },
    include: { user: true },
  });
  // Also when it was revoked already: a socket that raced the first revocation closes now.
  announceRevocation({ kind: 'token', tokenId: id });
  return toTokenInfo(revoked);
}

/** How stale `lastUsedAt` may get: writing it on every request would double the writes of a busy pipeline. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function actorOfApiToken(db: Db, token: string, clock: Clock): Promise<{ actor: TActor; credential: TCredential } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: true } });
  const now = clock.now();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || row.user.disabled) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    actor: actorOfToken(row, row.user),
    credential: { kind: 'token', id: row.id, userId: row.userId, expiresAt: row.expiresAt },
  };
}
