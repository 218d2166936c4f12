// The message templates whose moment a release change's events mark go out in the same transaction: a
// committed ramp has sent its progress update, a rolled-back change has sent nothing.
import { dueSendings, occasionsOfEvents } from '@rampart/domain';
import type { Tx } from '../../db/prisma.js';
import type { TRecordedEvent } from '../releases/event-reactions.js';
import type { TSending } from './send-templates.js';
import { sendTemplates, templatesOf } from './send-templates.js';

/** Sends the message templates whose moment the events are; message.sent and most other events mark none. */
export async function sendMessagesForEvents(tx: Tx, releaseId: string, events: readonly TRecordedEvent[], at: Date): Promise<void> {
  const occasions = occasionsOfEvents(events);
  if (occasions.length === 0) return;
  const release = await tx.release.findUnique({ where: { id: releaseId }, select: { playbookSpec: true } });
  const sendings: TSending[] = dueSendings(templatesOf(release?.playbookSpec), occasions).map(({ template, occasion }) => ({
    template,
    moment: occasion.moment,
    occasion: occasion.occasion,
  }));
  await sendTemplates(tx, releaseId, sendings, at);
}
