// A rolled-back release opened again as a new attempt, at a smaller percentage, after a fix (seed 000).
// The new attempt is a draft of its own: the same service and playbook copy with its stages recut
// (reopen.ts in the domain), a fresh checklist and fresh sign-offs, owned by whoever reopens it, and
// linked both ways to the attempt it follows.
import type { TReopenBody } from '@rampart/contracts';
import { planReopen } from '@rampart/domain';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../../db/prisma.js';
import { ServiceError, forbidden, invalidBody } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { insertRelease } from './create-release.js';
import { persistChange } from './persist-change.js';
import { loadRelease } from './release-record.js';
import { inTransaction } from './transaction.js';

/** Attempts followed back before giving up counting (a chain this long is a loop, or a team in trouble). */
const MAX_ATTEMPTS = 1000;

/** The id of the new attempt. */
export async function reopenRelease(ctx: TServiceContext, id: string, body: TReopenBody): Promise<string> {
  const ownerId = ctx.actor.userId;
  if (!ownerId) throw forbidden('A release needs a person as its owner');
  const now = ctx.clock.now();
  return inTransaction(ctx.db, async (tx) => {
    const old = await loadRelease(tx, id);
    const { row } = old;
    if (ctx.actor.role !== 'admin' && ctx.actor.userId !== row.ownerId) {
      throw forbidden("Only the release's owner or an admin can reopen it");
    }
    if (row.state !== 'rolled_back') {
      throw new ServiceError('conflict', `Only a rolled-back release can be reopened; this one is ${row.state.replace('_', ' ')}`, { releaseId: id });
    }
    const next = row.nextAttempts[0];
    if (next) throw new ServiceError('conflict', `This release was already reopened as attempt ${next.id}`, { releaseId: id });
    const attempt = (await attemptNumber(tx, row.previousAttemptId)) + 1;
    const plan = planReopen(old.spec, row.stages, body.trafficPercent, attempt);
    if (!plan.ok) throw invalidBody(plan.field, plan.message);

    const attemptId = await insertRelease(tx, {
      actor: ctx.actor,
      ownerId,
      service: row.service,
      version: body.version ?? row.version,
      notes: row.notes,
      playbook: { id: row.playbookId, key: row.playbookKey, name: row.playbookName, version: row.playbookVersion },
      spec: plan.spec,
      contacts: row.contacts === null ? undefined : (row.contacts as Prisma.InputJsonValue),
      previousAttemptId: id,
      at: now,
      events: [{ type: 'release.reopened', reason: body.reason, data: { previousAttemptId: id, attempt, trafficPercent: body.trafficPercent } }],
    });
    // Under the revision read above: of two people reopening at once, one wins and the other gets a 409.
    await persistChange(tx, old, old.snapshot, {
      actor: ctx.actor,
      at: now,
      events: [{ type: 'release.reopened', reason: body.reason, data: { attemptId, attempt, trafficPercent: body.trafficPercent } }],
    });
    return attemptId;
  });
}

/** Which attempt a release is: 1 for the first, counting back along previousAttemptId. */
async function attemptNumber(tx: Tx, previousAttemptId: string | null): Promise<number> {
  let count = 1;
  for (let at = previousAttemptId; at !== null && count < MAX_ATTEMPTS; count++) {
    const previous = await tx.release.findUnique({ where: { id: at }, select: { previousAttemptId: true } });
    at = previous?.previousAttemptId ?? null;
  }
  return count;
}
