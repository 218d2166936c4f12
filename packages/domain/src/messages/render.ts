// Fills a playbook's message templates from a release's live state, ready to paste into chat or a status page.
import type { TMessageTemplateSpec } from '@rampart/contracts';
import Mustache from 'mustache';
import { escapeSlack } from './chat-escape.js';
import type { TMessageVariables } from './variables.js';

export interface TRenderedMessage {
  key: string;
  kind: TMessageTemplateSpec['kind'];
  audience: TMessageTemplateSpec['audience'];
  title: string;
  severity: NonNullable<TMessageTemplateSpec['severity']> | null;
  text: string;
}

/**
 * plain: the text as people read it (the release page, status page, copy button): Mustache's HTML
 * escaping would turn "&" into "&amp;". slack: for Slack's mrkdwn, where every value is escaped and only
 * the template's own markup (its *bold*, its <url|links>) stays markup.
 */
export type TMessageTarget = 'plain' | 'slack';

const noEscape = { escape: (value: unknown) => String(value) };

/** `variables` as messageVariables and variablesForTemplate made them for this template's audience and severity. */
export function renderMessage(template: TMessageTemplateSpec, variables: TMessageVariables, target: TMessageTarget = 'plain'): TRenderedMessage {
  const raw: Record<string, string> = { ...variables, severity: template.severity ?? variables.severity };
  // The values are escaped before Mustache sees them, so {{{triple}}} and {{& name}} escape as well.
  const view = target === 'slack' ? Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, escapeSlack(String(value))])) : raw;
  return {
    key: template.key,
    kind: template.kind,
    audience: template.audience,
    title: template.title,
    severity: template.severity ?? null,
    text: Mustache.render(template.body, view, {}, noEscape),
  };
}
export { escapeSlack } from './chat-escape.js';
export { unknownBecause, utcDateTime } from './blanks.js';
export type { THealth, THealthInput, THealthWord } from './health.js';
export { healthInWords, releaseHealth } from './health.js';
export type { TDueSending, TMomentEvent, TOccasion } from './moments.js';
export {
  DEFAULT_MOMENT_OF_KIND,
  chatTemplateFor,
  dueSendings,
  everyOccasion,
  isDueAt,
  isScheduledOccasion,
  momentsOf,
  occasionsOfEvent,
  occasionsOfEvents,
  periodsSince,
} from './moments.js';
export type { TAudience, TCohortFigures, TMessageFacts, TMessageIncident, TMessageVariables } from './variables.js';
export { messageVariables, severityResponseOf, variablesForTemplate } from './variables.js';
