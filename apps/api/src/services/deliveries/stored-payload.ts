// What a webhook delivery carries, captured inside the change's transaction: the release as it is after the
// change, with the message template the Slack format would fill, its blanks filled as the sending's were.
// The instance's public URL is left out; webhooks/payload.ts adds it and renders the body at send time.
import type { TMessageTemplateSpec } from '@rampart/contracts';
import { chatTemplateFor, isScheduledOccasion } from '@rampart/domain';
import type { TEventRow, TStoredPayload } from '../../db/outbox.js';
import type { TReleaseRecord } from '../releases/release-record.js';
import { variablesOf } from '../releases/render-messages.js';
import type { TMessageFigures } from '../releases/message-figures.js';

/**
 * The template a Slack-format webhook posts with an event. A moment's template rides on the event that marks
 * it (release.ramped carries the progress update), chosen as the sending was (moments.ts). A scheduled
 * update has no such event, so it rides on its own message.sent; the message.sent of a moment's sending
 * carries no template (only the one-line summary), so Slack never gets the same message twice.
 */
function templateFor(record: TReleaseRecord, event: TEventRow): TMessageTemplateSpec | null {
  if (event.type !== 'message.sent') return chatTemplateFor(record.spec.messages, event);
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as { template?: unknown; occasion?: unknown };
  if (typeof data.occasion !== 'string' || !isScheduledOccasion(data.occasion)) return null;
  const template = record.spec.messages.find((message) => message.key === data.template);
  return template?.audience === 'internal' ? template : null;
}

export function storedPayload(record: TReleaseRecord, event: TEventRow, reason: string | null, figures: TMessageFigures): TStoredPayload {
  const { row } = record;
  const stage = row.stages[row.currentStageIndex];
  const eventId = event.id.toString();
  const template = templateFor(record, event);
  let message: TStoredPayload['message'] = null;
  if (template) {
    const { releaseUrl: _url, ...variables } = variablesOf(record, event.createdAt, reason, '', figures, template);
    message = { template, variables };
  }
  return {
    eventId,
    body: {
      id: eventId,
      type: event.type,
      createdAt: event.createdAt.toISOString(),
      release: {
        id: row.id,
        service: row.service,
        version: row.version,
        state: row.state,
        stage: stage ? { index: row.currentStageIndex, key: stage.key, name: stage.name, trafficPercent: stage.trafficPercent } : null,
        desiredPercent: row.desiredPercent,
        acknowledgedPercent: row.acknowledgedPercent,
        revision: row.revision,
      },
      event: {
        id: eventId,
        type: event.type,
        actor: event.actorName,
        reason: event.reason,
        data: event.data,
        revision: event.revision,
        createdAt: event.createdAt.toISOString(),
      },
    },
    message,
  };
}
