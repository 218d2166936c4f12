// A sending: the template filled from the live release, kept as a SentMessage row (what the email outbox
// mails to the internal contacts and the status page shows of the external ones), and told by a
// message.sent event. The row's (release, template, occasion) is unique, so a moment sends once however
// often it is looked at, and two instances racing for the same period send once between them.
import type { TMessageMoment, TMessageTemplateSpec } from '@rampart/contracts';
import { ZMessageTemplateSpec } from '@rampart/contracts';
import type { TActor, TRenderedMessage } from '@rampart/domain';
import { renderMessage } from '@rampart/domain';
import { z } from 'zod';
import type { Tx } from '../../db/prisma.js';
import { recordEvents } from '../releases/persist-change.js';
import { loadMessageFigures } from '../releases/message-figures.js';
import type { TMessageFigures } from '../releases/message-figures.js';
import { loadRelease } from '../releases/release-record.js';
import { latestReason, variablesOf } from '../releases/render-messages.js';
import { RELEASE_LINK_MARK } from './link-base.js';

export const MESSAGES_ACTOR: TActor = { kind: 'system', userId: null, name: 'messages', role: 'admin', approvalRoles: [] };

/** Only the templates of a playbook copy: read inside every change, most of which send nothing. */
const ZMessagesOnly = z.object({ messages: z.array(ZMessageTemplateSpec).default([]) });

export function templatesOf(playbookSpec: unknown): TMessageTemplateSpec[] {
  const spec = ZMessagesOnly.safeParse(playbookSpec);
  return spec.success ? spec.data.messages : [];
}

/** The incident an occasion is about ("incident:<id>"), if any. */
function incidentOf(occasion: string): string | undefined {
  return occasion.startsWith('incident:') ? occasion.slice('incident:'.length) : undefined;
}

export interface TSending {
  template: TMessageTemplateSpec;
  moment: TMessageMoment | 'every';
  occasion: string;
}

/** Where a sending goes: internal ones by email to the contacts with an address (and to Slack-format webhooks), external ones to the status page. */
export const channelsOf = (template: Pick<TMessageTemplateSpec, 'audience'>) => (template.audience === 'internal' ? ['email', 'slack'] : ['status_page']);

function rendered(template: TMessageTemplateSpec, fill: () => Parameters<typeof renderMessage>[1]): TRenderedMessage | null {
  try {
    return renderMessage(template, fill());
  } catch {
    // A template Mustache cannot parse sends nothing rather than undo the release change that triggered it.
    return null;
  }
}

/**
 * Renders and records the sendings that were not sent yet; returns how many went out. Runs inside the
 * transaction of the change (or of the scheduled pass), and its message.sent events react to nothing.
 */
export async function sendTemplates(tx: Tx, releaseId: string, sendings: readonly TSending[], at: Date): Promise<number> {
  if (sendings.length === 0) return 0;
  const record = await loadRelease(tx, releaseId);
  const reason = await latestReason(tx, releaseId);
  // A message sent for an incident quotes that incident, not whichever was reported last.
  const figuresByIncident = new Map<string | undefined, TMessageFigures>();
  for (const sending of sendings) {
    const incidentId = incidentOf(sending.occasion);
    if (!figuresByIncident.has(incidentId)) figuresByIncident.set(incidentId, await loadMessageFigures(tx, record, at, incidentId));
  }
  const rows = sendings.flatMap((sending) => {
    const figures = figuresByIncident.get(incidentOf(sending.occasion))!;
    const message = rendered(sending.template, () => ({ ...variablesOf(record, at, reason, '', figures, sending.template), releaseUrl: RELEASE_LINK_MARK }));
    return message
      ? [{ releaseId, templateKey: sending.template.key, occasion: sending.occasion, audience: message.audience, title: message.title, text: message.text, sentAt: at }]
      : [];
  });
  if (rows.length === 0) return 0;
  const created = await tx.sentMessage.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true, templateKey: true, occasion: true } });
  if (created.length === 0) return 0;
  const events = created.map((row) => {
    const sending = sendings.find((s) => s.template.key === row.templateKey && s.occasion === row.occasion)!;
    return {
      type: 'message.sent' as const,
      data: {
        sentMessageId: row.id,
        template: row.templateKey,
        title: sending.template.title,
        audience: sending.template.audience,
        moment: sending.moment,
        occasion: row.occasion,
        channels: channelsOf(sending.template),
      },
    };
  });
  await recordEvents(tx, releaseId, record.row.revision, MESSAGES_ACTOR, events, at);
  return created.length;
}
