import type { TChecklistStatus } from '@rampart/contracts';
import { canUpdateChecklistItem, checkChecklistUpdate, procedureDone, reconcileReadiness } from '@rampart/domain';
import { forbidden, notFound } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { getRelease } from './get-release.js';
import { persistChange } from './persist-change.js';
import { loadRelease } from './release-record.js';
import { signoffError, staleRevision } from './refusals.js';
import { inTransaction } from './transaction.js';

export interface TChecklistUpdate {
  status: TChecklistStatus;
  note?: string | undefined;
  expectedRevision?: number | undefined;
}

export async function updateChecklistItem(ctx: TServiceContext, releaseId: string, itemId: string, update: TChecklistUpdate) {
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async (tx) => {
    const record = await loadRelease(tx, releaseId);
    const { row, snapshot } = record;
    if (update.expectedRevision !== undefined && row.revision !== update.expectedRevision) {
      throw staleRevision(releaseId, update.expectedRevision);
    }
    const index = row.checklist.findIndex((item) => item.id === itemId);
    const item = row.checklist[index];
    const itemSnapshot = snapshot.checklist[index];
    if (!item || !itemSnapshot) throw notFound('Checklist item');
    if (!canUpdateChecklistItem(ctx.actor, { ...itemSnapshot, ownerRole: item.ownerRole })) {
      throw forbidden(`This item belongs to ${item.ownerRole}; ask them, a release owner or an admin`);
    }
    const refusal = checkChecklistUpdate(snapshot, itemSnapshot);
    if (refusal) throw signoffError(refusal, releaseId);
    const note = update.note ?? item.note;
    if (item.status === update.status && note === item.note) return;

    await tx.checklistItem.update({
      where: { id: itemId },
      data: { status: update.status, note, updatedById: ctx.actor.userId, updatedAt: now },
    });
    const changed = {
      ...snapshot,
      checklist: snapshot.checklist.map((entry, i) => (i === index ? { ...entry, status: update.status } : entry)),
    };
    const readiness = reconcileReadiness(changed);
    const done = procedureDone(snapshot, changed);
    await persistChange(tx, record, readiness.release, {
      actor: ctx.actor,
      at: now,
      events: [
        {
          type: 'checklist.updated',
          data: { item: item.key, text: item.text, from: item.status, to: update.status, note: note ?? null },
        },
        ...readiness.events,
        ...(done ? [done] : []),
      ],
    });
  });
  return getRelease(ctx, releaseId);
}
