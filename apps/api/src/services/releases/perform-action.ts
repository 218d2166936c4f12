import type { TActionBody, TReleaseAction } from '@rampart/contracts';
import type { TIntentAction } from '@rampart/domain';
import { COURSE_EVENT_TYPES, can, decideAction, intentHolds, isIntent, whyNotYours } from '@rampart/domain';
import { ServiceError, forbidden } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import type { Tx } from '../../db/prisma.js';
import { getRelease } from './get-release.js';
import { persistChange } from './persist-change.js';
import { gateStatusesOf } from '../judgement/stored-analysis.js';
import { loadRelease } from './release-record.js';
import { refusalError, staleRevision } from './refusals.js';
import { inTransaction } from './transaction.js';

/** An intent loses its write to a concurrent change (often an autopilot verdict) at most this often before giving up. */
const INTENT_ATTEMPTS = 5;

export async function performAction(ctx: TServiceContext, id: string, action: TReleaseAction, body: TActionBody) {
  if (body.force && !can(ctx.actor, 'release:force')) {
    throw forbidden('Only a release owner or an admin can force an action');
  }
  if (isIntent(action)) {
    await holdIntent(ctx, id, action, body);
    return getRelease(ctx, id);
  }
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async (tx) => {
    const record = await loadRelease(tx, id);
    const notYours = whyNotYours(ctx.actor, action, record.row.ownerId, body.force ?? false);
    if (notYours) throw forbidden(notYours);
    // Ramp, complete, start, abort: decided on what the person saw, so any change since is a conflict.
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

/**
 * Pause, resume, roll back: taken on the release as it is now, unless another person changed its course
 * since the revision this one saw. Already where it leads (the autopilot paused first, a rollback runs),
 * it changes nothing and answers the release.
 */
async function holdIntent(ctx: TServiceContext, id: string, action: TIntentAction, body: TActionBody): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const now = ctx.clock.now();
    try {
      await inTransaction(ctx.db, async (tx) => {
        const record = await loadRelease(tx, id);
        const notYours = whyNotYours(ctx.actor, action, record.row.ownerId, body.force ?? false);
        if (notYours) throw forbidden(notYours);
        if (record.row.revision !== body.expectedRevision) await refuseIfSomeoneSteered(tx, id, body.expectedRevision);
        if (intentHolds(action, record.snapshot.state)) return;
        const gates = gateStatusesOf(record);
        const decision = decideAction(record.snapshot, { action, reason: body.reason, force: body.force }, { now, gates });
        if (!decision.ok) throw refusalError(decision.refusal, id);
        await persistChange(tx, record, decision.release, { actor: ctx.actor, events: decision.events, at: now, expectedRevision: record.row.revision });
      });
      return;
    } catch (error) {
      // Someone wrote between this read and this write: read again (a person's change is then refused above).
      const lostRace = error instanceof ServiceError && error.kind === 'stale_revision' && !steered.has(error);
      if (!lostRace || attempt >= INTENT_ATTEMPTS) throw error;
    }
  }
}

/** The refusals that name a person's change, as opposed to a write lost to a concurrent one. */
const steered = new WeakSet<Error>();

/** A stale revision conflicts with an intent only when a person changed the release's course since. */
async function refuseIfSomeoneSteered(tx: Tx, id: string, seenRevision: number): Promise<void> {
  const steer = await tx.releaseEvent.findFirst({
    where: { releaseId: id, revision: { gt: seenRevision }, type: { in: [...COURSE_EVENT_TYPES] }, actorId: { not: null } },
    orderBy: { id: 'asc' },
    select: { type: true, actorName: true },
  });
  if (!steer) return;
  const did = steer.type.replace(/^release\./, '').replace('_', ' ');
  const refusal = new ServiceError('stale_revision', `Someone else acted first: ${steer.actorName} (${did}) since revision ${seenRevision}; look at the release and try again`, {
    releaseId: id,
  });
  steered.add(refusal);
  throw refusal;
}
