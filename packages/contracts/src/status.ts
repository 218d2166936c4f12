// What Rampart says about releases in words: the message templates filled from the live release, and the
// public status page (no login), which carries only what may be public.
import { z } from 'zod';
import { ZIsoDate, ZUuid } from './common.js';
import { ZIncidentSeverity, ZIncidentStatus, ZMessageKind, ZReleaseState } from './enums.js';

const ZPercent = z.number().min(0).max(100);

export const ZRenderedMessage = z.object({
  key: z.string(),
  kind: ZMessageKind,
  audience: z.enum(['internal', 'external']),
  title: z.string(),
  severity: ZIncidentSeverity.nullable(),
  text: z.string(),
  /** When this template last went out by itself for the release; null: not yet. */
  sentAt: ZIsoDate.nullable().optional(),
});
export const ZMessageList = z.object({ messages: z.array(ZRenderedMessage) });

export const ZHealthWord = z.enum(['healthy', 'degraded', 'unknown']);

/** An incident as the public sees it: never its title, detail, handler, reporter or link. */
export const ZStatusIncident = z
  .object({
    severity: ZIncidentSeverity.nullable(),
    status: ZIncidentStatus,
    startedAt: ZIsoDate,
    /** The incident's public note, or a generic sentence for its status ("Investigating an issue"). */
    note: z.string(),
  })
  .meta({ id: 'StatusIncident' });
export type TStatusIncident = z.infer<typeof ZStatusIncident>;

/** The latest status-page (external audience) message sent for a release. */
export const ZStatusMessage = z
  .object({ title: z.string(), text: z.string(), sentAt: ZIsoDate })
  .meta({ id: 'StatusMessage' });

export const ZStatusRelease = z.object({
  id: ZUuid,
  service: z.string(),
  version: z.string(),
  state: ZReleaseState,
  stage: z.string().nullable(),
  percent: ZPercent,
  /** Degraded while rolling back, rolled back, breaching a gate or with an incident open. */
  health: ZHealthWord,
  updatedAt: ZIsoDate,
  message: ZStatusMessage.nullable(),
  /** Its incidents in the order they started (at most the latest 10). */
  incidents: z.array(ZStatusIncident),
}).meta({ id: 'StatusRelease' });
export type TStatusRelease = z.infer<typeof ZStatusRelease>;

export const ZStatusPage = z.object({
  generatedAt: ZIsoDate,
  /** Agrees with the cards: degraded when an active card is degraded or any card has an open incident. */
  summary: z.enum(['all_good', 'rolling_out', 'degraded', 'rolling_back']),
  active: z.array(ZStatusRelease),
  recent: z.array(ZStatusRelease),
});
export type TStatusPage = z.infer<typeof ZStatusPage>;
