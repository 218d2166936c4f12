// What a delivery sends: the stored payload (captured in the change's transaction by services/deliveries)
// with this instance's public URL added, rendered in the webhook's current format at send time.
import type { TMessageVariables } from '@rampart/domain';
import { escapeSlack, renderMessage } from '@rampart/domain';
import type { TStoredPayload, TWebhookBody } from '../db/outbox.js';

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
