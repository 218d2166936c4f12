// "Mark section done": every open item of one checklist section the caller may tick, in one write.
import { canUpdateChecklistItem, checkChecklistUpdate, procedureDone, reconcileReadiness } from '@rampart/domain';
import { ServiceError, forbidden, invalidBody } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { getRelease } from './get-release.js';
import { persistChange } from './persist-change.js';
import { loadRelease } from './release-record.js';
import { staleRevision } from './refusals.js';
import { inTransaction } from './transaction.js';

export interface TSectionDone {
  section: string;
  expectedRevision?: number | undefined;
}

/**
 * Ticks the section's open items under the single-item rules (who owns the item, and which phase may move
 * now). Items the caller may not tick, or whose phase is closed, stay open: the answer's checklist shows
 * them. Refuses only when nothing at all could move, so one locked rollback item does not hold a section.
 */
export async function markChecklistSectionDone(ctx: TServiceContext, releaseId: string, request: TSectionDone) {
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async (tx) => {
    const record = await loadRelease(tx, releaseId);
    const { row, snapshot } = record;
    if (request.expectedRevision !== undefined && row.revision !== request.expectedRevision) {
      throw staleRevision(releaseId, request.expectedRevision);
    }
    const inSection = row.checklist.map((item, index) => ({ item, index })).filter(({ item }) => item.section === request.section);
    if (inSection.length === 0) {
      const known = [...new Set(row.checklist.map((item) => item.section))];
      throw invalidBody('section', `No section "${request.section}" in this release's checklist${known.length ? ` (sections: ${known.join(', ')})` : ''}`);
    }
    const open = inSection.filter(({ item }) => item.status === 'open');
    if (open.length === 0) return;

    const permitted = open.filter(({ item, index }) => canUpdateChecklistItem(ctx.actor, { ...snapshot.checklist[index]!, ownerRole: item.ownerRole }));
    if (permitted.length === 0) {
      const owners = [...new Set(open.map(({ item }) => item.ownerRole))].join(', ');
      throw forbidden(`The open items of "${request.section}" belong to ${owners}; ask them, a release owner or an admin`);
    }
    const movable = permitted.filter(({ index }) => checkChecklistUpdate(snapshot, snapshot.checklist[index]!) === null);
    if (movable.length === 0) {
      const refusal = checkChecklistUpdate(snapshot, snapshot.checklist[permitted[0]!.index]!)!;
      throw new ServiceError('conflict', refusal.message, { releaseId });
    }

    await tx.checklistItem.updateMany({
      where: { id: { in: movable.map(({ item }) => item.id) }, status: 'open' },
      data: { status: 'done', updatedById: ctx.actor.userId, updatedAt: now },
    });
    const ticked = new Set(movable.map(({ index }) => index));
    const changed = {
      ...snapshot,
      checklist: snapshot.checklist.map((entry, i) => (ticked.has(i) ? { ...entry, status: 'done' as const } : entry)),
    };
    const readiness = reconcileReadiness(changed);
    const done = procedureDone(snapshot, changed);
    await persistChange(tx, record, readiness.release, {
      actor: ctx.actor,
      at: now,
      events: [
        {
          type: 'checklist.updated',
          data: { section: request.section, items: movable.map(({ item }) => item.key), from: 'open', to: 'done' },
        },
        ...readiness.events,
        ...(done ? [done] : []),
      ],
    });
  });
  return getRelease(ctx, releaseId);
}
