import type { TMessageTemplateSpec } from '@rampart/contracts';
import type { TAudience, TMessageFacts, TMessageVariables, TRenderedMessage } from '@rampart/domain';
import { messageVariables, renderMessage, variablesForTemplate } from '@rampart/domain';
import type { Db, Tx } from '../../db/prisma.js';
import type { TServiceContext } from '../context.js';
import { contactsOf } from '../contacts/contacts-of.js';
import type { TReleaseRecord } from './release-record.js';
import { loadRelease } from './release-record.js';
import type { TMessageFigures } from './message-figures.js';
import { loadMessageFigures } from './message-figures.js';

const REASON_EVENTS = ['release.rollback_started', 'release.paused'];

/** The reason the rollback and pause messages quote: the latest one given. */
export async function latestReason(db: Db | Tx, releaseId: string): Promise<string | null> {
  const event = await db.releaseEvent.findFirst({
    where: { releaseId, type: { in: REASON_EVENTS }, reason: { not: null } },
    orderBy: { id: 'desc' },
    select: { reason: true },
  });
  return event?.reason ?? null;
}

export function factsOf(record: TReleaseRecord, now: Date, reason: string | null, releaseUrl: string, figures: TMessageFigures): TMessageFacts {
  const { row } = record;
  return {
    release: {
      service: row.service,
      version: row.version,
      notes: row.notes,
      ownerName: row.owner.name,
      state: row.state,
      currentStageIndex: row.currentStageIndex,
      desiredPercent: row.desiredPercent,
      acknowledgedPercent: row.acknowledgedPercent,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      stages: row.stages,
    },
    contacts: contactsOf(record.row),
    now,
    releaseUrl,
    reason,
    ...figures,
  };
}

export const releasePageUrl = (publicUrl: string, releaseId: string) => `${publicUrl}/releases/${releaseId}`;

/** Every blank of one template, filled for its audience and its own severity. */
export function variablesOf(
  record: TReleaseRecord,
  now: Date,
  reason: string | null,
  publicUrl: string,
  figures: TMessageFigures,
  template: Pick<TMessageTemplateSpec, 'audience' | 'severity'> = { audience: 'internal' },
): TMessageVariables {
  const audience: TAudience = template.audience;
  const variables = messageVariables(factsOf(record, now, reason, releasePageUrl(publicUrl, record.row.id), figures), record.spec.incidentLevels, audience);
  return variablesForTemplate(template, variables, record.spec.incidentLevels);
}

/** Renders every template of the release as it would read now; one Mustache cannot parse says so in its text. */
export function renderAll(record: TReleaseRecord, now: Date, reason: string | null, publicUrl: string, figures: TMessageFigures): TRenderedMessage[] {
  return record.spec.messages.map((template) => {
    try {
      return renderMessage(template, variablesOf(record, now, reason, publicUrl, figures, template));
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : 'it does not parse';
      const { key, kind, audience, title } = template;
      return { key, kind, audience, title, severity: template.severity ?? null, text: `This template could not be filled: ${why}` };
    }
  });
}

export async function renderReleaseMessages(ctx: Pick<TServiceContext, 'db' | 'clock'>, releaseId: string, publicUrl: string) {
  const record = await loadRelease(ctx.db, releaseId);
  const now = ctx.clock.now();
  const [reason, figures, sent] = await Promise.all([
    latestReason(ctx.db, releaseId),
    loadMessageFigures(ctx.db, record, now),
    ctx.db.sentMessage.groupBy({ by: ['templateKey'], where: { releaseId }, _max: { sentAt: true } }),
  ]);
  const lastSent = new Map(sent.map((s) => [s.templateKey, s._max.sentAt]));
  return {
    messages: renderAll(record, now, reason, publicUrl, figures).map((message) => ({
      ...message,
      sentAt: lastSent.get(message.key)?.toISOString() ?? null,
    })),
  };
}
