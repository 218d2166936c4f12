import type { TActionBody, TReleaseAction } from '@rampart/contracts';
import { can, decideAction } from '@rampart/domain';
import { forbidden } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { getRelease } from './get-release.js';
import { persistChange } from './persist-change.js';
import { gateStatusesOf } from '../judgement/stored-analysis.js';
import { loadRelease } from './release-record.js';
import { refusalError, staleRevision } from './refusals.js';
import { inTransaction } from './transaction.js';

export async function performAction(ctx: TServiceContext, id: string, action: TReleaseAction, body: TActionBody) {
  if (body.force && !can(ctx.actor, 'release:force')) {
    throw forbidden('Only a release owner or an admin can force an action');
  }
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async (tx) => {
    const record = await loadRelease(tx, id);
    if (record.row.revision !== body.expectedRevision) throw staleRevision(id, body.expectedRevision);
    const gates = gateStatusesOf(record);
    const decision = decideAction(record.snapshot, { action, reason: body.reason, force: body.force }, { now, gates });
    if (!decision.ok) throw refusalError(decision.refusal, id);
    await persistChange(tx, record, decision.release, {
      actor: ctx.actor,
      events: decision.events,
      at: now,
      expectedRevision: body.expectedRevision,
    });
  });
  return getRelease(ctx, id);
}
