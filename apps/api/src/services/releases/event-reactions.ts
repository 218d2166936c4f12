// What follows by itself from a release's recorded events, inside the transaction that records them: pages for
// the on-call contacts, and the message templates whose moment it is. Both may record events of their own
// (contact.paged, message.sent), which react to nothing.
import type { Tx } from '../../db/prisma.js';
import type { TStoredEvent } from './stored-event.js';
import { pageForEvents } from '../paging/page-for-events.js';
import { sendMessagesForEvents } from '../messages/send-for-events.js';

/** An event as recordEvents wrote it. `actorId` null: Rampart itself (the autopilot, an incident response). */
export type TRecordedEvent = TStoredEvent;

export async function reactToEvents(tx: Tx, releaseId: string, events: readonly TRecordedEvent[], at: Date): Promise<void> {
  if (events.length === 0) return;
  await pageForEvents(tx, releaseId, events, at);
  await sendMessagesForEvents(tx, releaseId, events, at);
}
