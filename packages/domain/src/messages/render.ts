// Fills a playbook's message templates from a release's live state, ready to paste into chat or a status page.
import type { TMessageTemplateSpec, TMessageVariable } from '@rampart/contracts';
import Mustache from 'mustache';
import { escapeSlack } from './chat-escape.js';

export type TMessageVariables = Record<Exclude<TMessageVariable, 'severity'>, string>;

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

export function renderMessage(template: TMessageTemplateSpec, variables: TMessageVariables, target: TMessageTarget = 'plain'): TRenderedMessage {
  const raw: Record<string, string> = { ...variables, severity: template.severity ?? 'n/a' };
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
