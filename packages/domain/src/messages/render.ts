// Fills a playbook's message templates from a release's live state, ready to paste into chat or a status page.
import type { TMessageTemplateSpec, TMessageVariable } from '@rampart/contracts';
import Mustache from 'mustache';

export type TMessageVariables = Record<Exclude<TMessageVariable, 'severity'>, string>;

export interface TRenderedMessage {
  key: string;
  kind: TMessageTemplateSpec['kind'];
  audience: TMessageTemplateSpec['audience'];
  title: string;
  severity: NonNullable<TMessageTemplateSpec['severity']> | null;
  text: string;
}

// Chat and status pages take plain text: Mustache's HTML escaping would turn "&" into "&amp;".
const plainText = { escape: (value: unknown) => String(value) };

export function renderMessage(template: TMessageTemplateSpec, variables: TMessageVariables): TRenderedMessage {
  const view = { ...variables, severity: template.severity ?? 'n/a' };
  return {
    key: template.key,
    kind: template.kind,
    audience: template.audience,
    title: template.title,
    severity: template.severity ?? null,
    text: Mustache.render(template.body, view, {}, plainText),
  };
}
