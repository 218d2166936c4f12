// Someone has it: acknowledging a page stops its escalation (and that of every page for the same cause).
import type { TPage } from '@rampart/contracts';
import { ServiceError, notFound } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { recordEvents } from '../releases/persist-change.js';
import { inTransaction } from '../releases/transaction.js';
import { pageView } from './page-view.js';

export async function acknowledgePage(ctx: TServiceContext, releaseId: string, pageId: string): Promise<TPage> {
  const now = ctx.clock.now();
  return inTransaction(ctx.db, async (tx) => {
    // Conditional, so of two people acknowledging at once exactly one does.
    const updated = await tx.page.updateMany({ where: { id: pageId, releaseId, acknowledgedAt: null }, data: { acknowledgedAt: now, acknowledgedByName: ctx.actor.name } });
    const page = await tx.page.findFirst({ where: { id: pageId, releaseId } });
    if (!page) throw notFound('Page');
    if (updated.count === 0) {
      throw new ServiceError('conflict', `${page.acknowledgedByName ?? 'Someone'} acknowledged this page already, at ${page.acknowledgedAt?.toISOString() ?? 'an earlier time'}`);
    }
    const release = await tx.release.findUniqueOrThrow({ where: { id: releaseId }, select: { revision: true } });
    await recordEvents(
      tx,
      releaseId,
      release.revision,
      ctx.actor,
      [{ type: 'page.acknowledged', data: { pageId, level: page.level, role: page.contactRole, name: page.contactName, incidentId: page.incidentId } }],
      now,
    );
    return pageView(page);
  });
}
