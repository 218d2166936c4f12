import type { TFreeze } from '@rampart/contracts';
import { ServiceError, forbidden } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { inTransaction } from '../releases/transaction.js';
import { lockFreezes } from './lock.js';
import { toFreezeDto } from './freeze-view.js';

/** Lifts the freeze in force; releases may start and ramp again. */
export async function endFreeze(ctx: TServiceContext): Promise<TFreeze> {
  if (ctx.actor.role !== 'admin') throw forbidden('Only an admin can end a freeze');
  const now = ctx.clock.now();
  return inTransaction(ctx.db, async (tx) => {
    await lockFreezes(tx);
    const active = await tx.freeze.findFirst({ where: { endedAt: null } });
    if (!active) throw new ServiceError('conflict', 'No freeze is in force');
    const row = await tx.freeze.update({ where: { id: active.id }, data: { endedAt: now, endedByName: ctx.actor.name } });
    return toFreezeDto(row);
  });
}
