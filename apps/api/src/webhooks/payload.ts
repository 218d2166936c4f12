// What a delivery carries. At enqueue time (inside the change's transaction) the release is captured as
// it is after the change, with the message template the Slack format would fill, its blanks filled as the
// sending's were; at send time the instance adds its public URL and renders the body in the webhook's
// current format.
import type { TMessageTemplateSpec } from '@rampart/contracts';
import type { TMessageVariables } from '@rampart/domain';
import { chatTemplateFor, escapeSlack, isScheduledOccasion, renderMessage } from '@rampart/domain';
import type { TReleaseRecord } from '../services/releases/release-record.js';
import { variablesOf } from '../services/releases/render-messages.js';
import type { TMessageFigures } from '../services/releases/message-figures.js';

export interface TEventRow {
  id: bigint;
  type: string;
  actorName: string;
  reason: string | null;
  data: unknown;
  revision: number;
  createdAt: Date;
}

export interface TWebhookRelease {
  id: string;
  service: string;
  version: string;
  state: string;
  stage: { index: number; key: string; name: string; trafficPercent: number } | null;
  desiredPercent: number;
  acknowledgedPercent: number;
  revision: number;
  url: string;
}

export interface TWebhookBody {
  /** The event's id: the same for every webhook that receives it. */
  id: string;
  type: string;
  createdAt: string;
  release: TWebhookRelease;
  event: { id: string; type: string; actor: string; reason: string | null; data: unknown; revision: number; createdAt: string };
}

/** What the outbox row stores: the body without the instance's URL, and the Slack message to fill. */
export interface TStoredPayload {
  eventId: string;
  body: Omit<TWebhookBody, 'release'> & { release: Omit<TWebhookRelease, 'url'> };
  message: { template: TMessageTemplateSpec; variables: Omit<TMessageVariables, 'releaseUrl'> } | null;
}

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

export const releaseUrlOf = (publicUrl: string, releaseId: string) => `${publicUrl}/releases/${releaseId}`;

/** The JSON format: the stored body with the release's link on this instance. */
export function jsonBody(stored: TStoredPayload, publicUrl: string): TWebhookBody {
  return { ...stored.body, release: { ...stored.body.release, url: releaseUrlOf(publicUrl, stored.body.release.id) } };
}

/** A one-line summary for Slack: every value from people (names, version, reason, stage) escaped. */
function oneLine(body: TWebhookBody): string {
  const { release, event } = body;
  const e = escapeSlack;
  const where = release.stage ? `${e(release.stage.name)} (${release.desiredPercent}%)` : `${release.desiredPercent}%`;
  const why = event.reason ? `: ${e(event.reason)}` : '';
  return `${e(release.service)} ${e(release.version)}: ${event.type} by ${e(event.actor)}${why}. Now ${release.state} at ${where}. ${release.url}`;
}

/** The Slack-compatible format: the playbook's filled template for the event's kind, or a one-line summary. */
export function slackBody(stored: TStoredPayload, publicUrl: string): { text: string } {
  if (stored.message) {
    const variables: TMessageVariables = { ...stored.message.variables, releaseUrl: releaseUrlOf(publicUrl, stored.body.release.id) };
    return { text: renderMessage(stored.message.template, variables, 'slack').text };
  }
  return { text: oneLine(jsonBody(stored, publicUrl)) };
}

export function renderBody(stored: TStoredPayload, format: string, publicUrl: string): string {
  return JSON.stringify(format === 'slack' ? slackBody(stored, publicUrl) : jsonBody(stored, publicUrl));
}
