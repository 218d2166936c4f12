// Writes a decided change of a release: the new state, the stage times, and its events, under the
// revision the actor saw. The conditional update is what lets exactly one of many concurrent actors win.
import type { TActor, TDomainEvent, TReleaseSnapshot } from '@rampart/domain';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from '../../db/prisma.js';
import type { TReleaseRecord } from './release-record.js';
import { announceReleaseChange } from '../../db/change-notice.js';
import { staleRevision } from './refusals.js';
import { enqueueWebhookDeliveries } from '../deliveries/queue-deliveries.js';
import { reactToEvents } from './event-reactions.js';

/**
 * Appends a release's events and announces the change to the live channel (pg_notify inside this
 * transaction, so only a committed change is announced). Every release change passes through here.
 */
export async function recordEvents(
  tx: Tx,
  releaseId: string,
  revision: number,
  actor: TActor,
  events: readonly TDomainEvent[],
  at: Date,
): Promise<void> {
  const rows =
    events.length === 0
      ? []
      : await tx.releaseEvent.createManyAndReturn({
          select: { id: true, type: true, actorId: true, actorName: true, reason: true, data: true, revision: true, createdAt: true },
          data: events.map((event) => ({
            releaseId,
            type: event.type,
            actorId: actor.userId,
            actorName: actor.name,
            reason: event.reason ?? null,
            data: event.data as Prisma.InputJsonValue,
            revision,
            createdAt: at,
          })),
        });
  const ids = rows.map((row) => row.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // The outbox: webhook deliveries commit (or roll back) with the change that caused them.
  await enqueueWebhookDeliveries(tx, releaseId, rows);
  await reactToEvents(tx, releaseId, rows, at);
  await announceReleaseChange(tx, {
    releaseId,
    revision,
    firstEventId: ids[0]?.toString() ?? null,
    lastEventId: ids.at(-1)?.toString() ?? null,
  });
}

/**
 * Bumps the revision from `expectedRevision` (or from the loaded one when the caller did not say what it saw)
 * and stores `after`. Throws stale_revision when someone else changed the release first.
 */
export async function persistChange(
  tx: Tx,
  before: TReleaseRecord,
  after: TReleaseSnapshot,
  change: { actor: TActor; events: readonly TDomainEvent[]; at: Date; expectedRevision?: number | undefined },
): Promise<number> {
  const { row } = before;
  const expected = change.expectedRevision ?? row.revision;
  const acknowledgedChanged = after.acknowledgedPercent !== before.snapshot.acknowledgedPercent;
  const updated = await tx.release.updateMany({
    where: { id: row.id, revision: expected },
    data: {
      state: after.state,
      currentStageIndex: after.currentStageIndex,
      desiredPercent: after.desiredPercent,
      acknowledgedPercent: after.acknowledgedPercent,
      ...(acknowledgedChanged ? { acknowledgedAt: change.at } : {}),
      startedAt: after.startedAt,
      finishedAt: after.finishedAt,
      revision: { increment: 1 },
    },
  });
  if (updated.count === 0) {
    throw staleRevision(row.id, expected);
  }
  for (const [position, stage] of after.stages.entries()) {
    const old = before.snapshot.stages[position];
    if (old && (old.enteredAt !== stage.enteredAt || old.exitedAt !== stage.exitedAt)) {
      await tx.releaseStage.update({
        where: { releaseId_position: { releaseId: row.id, position } },
        data: { enteredAt: stage.enteredAt, exitedAt: stage.exitedAt },
      });
    }
  }
  const revision = expected + 1;
  await recordEvents(tx, row.id, revision, change.actor, change.events, change.at);
  return revision;
}
