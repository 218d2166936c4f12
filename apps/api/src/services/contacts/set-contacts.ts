// Naming a release's contacts. It bumps the revision (the release page shows them, and its cache is keyed
// by the revision) and announces the change, but records no event: no event type says "contacts changed".
import type { TContactSpec } from '@rampart/contracts';
import { whyNotYourContacts } from '@rampart/domain';
import type { Prisma } from '../../generated/prisma/client.js';
import { forbidden, notFound } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { recordEvents } from '../releases/persist-change.js';
import { staleRevision } from '../releases/refusals.js';
import { inTransaction } from '../releases/transaction.js';
import type { TContactsView } from './read-contacts.js';
import { readContacts } from './read-contacts.js';

export interface TSetContacts {
  contacts: TContactSpec[];
  expectedRevision?: number | undefined;
}

export async function setContacts(ctx: TServiceContext, releaseId: string, body: TSetContacts): Promise<TContactsView> {
  const now = ctx.clock.now();
  await inTransaction(ctx.db, async (tx) => {
    const release = await tx.release.findUnique({ where: { id: releaseId }, select: { ownerId: true, revision: true } });
    if (!release) throw notFound('Release');
    const notYours = whyNotYourContacts(ctx.actor, release.ownerId);
    if (notYours) throw forbidden(notYours);
    const expected = body.expectedRevision ?? release.revision;
    if (release.revision !== expected) throw staleRevision(releaseId, expected);
    const updated = await tx.release.updateMany({
      where: { id: releaseId, revision: expected },
      data: { contacts: body.contacts as Prisma.InputJsonValue, revision: { increment: 1 } },
    });
    if (updated.count === 0) throw staleRevision(releaseId, expected);
    await recordEvents(tx, releaseId, expected + 1, ctx.actor, [], now);
  });
  return readContacts(ctx, releaseId);
}
