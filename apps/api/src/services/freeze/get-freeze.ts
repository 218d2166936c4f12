import type { TFreeze } from '@rampart/contracts';
import type { TServiceContext } from '../context.js';
import { toFreezeDto } from './freeze-view.js';

/** The freeze in force, or null. */
export async function getFreeze(ctx: Pick<TServiceContext, 'db'>): Promise<TFreeze | null> {
  const row = await ctx.db.freeze.findFirst({ where: { endedAt: null }, orderBy: { startedAt: 'desc' } });
  return row ? toFreezeDto(row) : null;
}
