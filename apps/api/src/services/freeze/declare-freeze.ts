// "Stop the line": an admin freezes every start and ramp at once. One freeze at a time: declaring a second
// while one is in force would leave people unsure which one to lift.
import type { TFreeze } from '@rampart/contracts';
import { ServiceError, forbidden } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { inTransaction } from '../releases/transaction.js';
import { lockFreezes } from './lock.js';
import { toFreezeDto } from './freeze-view.js';

export async function declareFreeze(ctx: TServiceContext, reason: string): Promise<TFreeze> {
  if (ctx.actor.role !== 'admin') throw forbidden('Only an admin can declare a freeze');
  const now = ctx.clock.now();
  return inTransaction(ctx.db, async (tx) => {
    await lockFreezes(tx);
    const active = await tx.freeze.findFirst({ where: { endedAt: null } });
    if (active) throw new ServiceError('conflict', `A freeze is already in force, declared by ${active.startedByName}: ${active.reason}`);
    const row = await tx.freeze.create({ data: { reason, startedById: ctx.actor.userId, startedByName: ctx.actor.name, startedAt: now } });
    return toFreezeDto(row);
  });
}
