// Problems and incidents on a release, the people a release names, pages and their escalation, and the
// change freeze: what happens around the metrics in the seed processes.
import { z } from 'zod';
import { ZIsoDate, ZSeenRevision, ZUuid, boundedText } from './common.js';
import { ZIncidentAction, ZIncidentSeverity, ZIncidentStatus, ZProblemKind } from './enums.js';
import { ZContactSpec } from './playbook.js';
import { safeText } from './safe-text.js';

const ZLink = safeText()
  .trim()
  .max(2000)
  .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL');

/** Anyone signed in, support included, may report a problem. An incident carries a severity from the playbook's scale. */
export const ZReportIncidentBody = z
  .object({
    kind: ZProblemKind,
    severity: ZIncidentSeverity.optional(),
    title: boundedText(200).pipe(z.string().min(1, 'must not be empty')),
    /** Private detail: shown to signed-in users only, never on the public status page. */
    detail: boundedText(5000).optional(),
    /** What the public status page may say about it; omitted: the status page says only that an incident is open. */
    publicNote: boundedText(1000).optional(),
    link: ZLink.optional(),
    /** When it started, if earlier than the report. */
    startedAt: z.iso.datetime({ offset: true }).optional(),
    handler: boundedText(200).optional(),
  })
  .refine((b) => b.kind !== 'incident' || b.severity !== undefined, {
    message: 'an incident needs a severity from the playbook scale',
    path: ['severity'],
  });
export type TReportIncidentBody = z.infer<typeof ZReportIncidentBody>;

export const ZIncidentParams = z.object({ id: ZUuid, incidentId: ZUuid });

export const ZUpdateIncidentBody = z
  .object({
    status: ZIncidentStatus.optional(),
    handler: boundedText(200).optional(),
    publicNote: boundedText(1000).optional(),
    severity: ZIncidentSeverity.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one field to change' });
export type TUpdateIncidentBody = z.infer<typeof ZUpdateIncidentBody>;

export const ZIncident = z
  .object({
    id: ZUuid,
    releaseId: ZUuid,
    kind: ZProblemKind,
    severity: ZIncidentSeverity.nullable(),
    status: ZIncidentStatus,
    title: z.string(),
    detail: z.string(),
    publicNote: z.string().nullable(),
    link: z.string().nullable(),
    handler: z.string().nullable(),
    source: z.enum(['person', 'alert']),
    reportedBy: z.string(),
    /** What the playbook's response did when it was reported. */
    action: ZIncidentAction,
    startedAt: ZIsoDate,
    mitigatedAt: ZIsoDate.nullable(),
    resolvedAt: ZIsoDate.nullable(),
    createdAt: ZIsoDate,
  })
  .meta({ id: 'Incident' });
export type TIncident = z.infer<typeof ZIncident>;

export const ZIncidentList = z.object({ incidents: z.array(ZIncident) });

/**
 * The common shape of an alert webhook (Alertmanager, Grafana, PagerDuty-style tools map onto it): firing or
 * resolved, a severity, a summary and a link. `fingerprint` identifies the alert, so a resolve closes the
 * incident its firing opened and a repeated firing is not a second incident.
 */
export const ZAlertBody = z.object({
  status: z.enum(['firing', 'resolved']),
  /** The release the alert concerns; or `service`, matching the service's active release. */
  releaseId: ZUuid.optional(),
  service: z.string().trim().min(1).max(100).optional(),
  severity: ZIncidentSeverity,
  summary: boundedText(200).pipe(z.string().min(1, 'must not be empty')),
  description: boundedText(5000).optional(),
  link: ZLink.optional(),
  fingerprint: safeText().trim().min(1).max(200),
  startsAt: z.iso.datetime({ offset: true }).optional(),
  kind: ZProblemKind.default('incident'),
});
export type TAlertBody = z.infer<typeof ZAlertBody>;

/** The contacts a release names: its playbook's by default. */
export const ZContactsBody = z.object({
  contacts: z.array(ZContactSpec).max(20),
  expectedRevision: ZSeenRevision.optional(),
});

export const ZPage = z
  .object({
    id: ZUuid,
    releaseId: ZUuid,
    incidentId: ZUuid.nullable(),
    reason: z.string(),
    contactRole: z.string(),
    contactName: z.string(),
    /** Which on-call contact in list order: 0 first, 1 after one escalation... */
    level: z.number().int(),
    pagedAt: ZIsoDate,
    acknowledgedAt: ZIsoDate.nullable(),
    acknowledgedBy: z.string().nullable(),
    escalatedAt: ZIsoDate.nullable(),
  })
  .meta({ id: 'Page' });
export type TPage = z.infer<typeof ZPage>;

export const ZPageParams = z.object({ id: ZUuid, pageId: ZUuid });

export const ZFreezeBody = z.object({ reason: boundedText(500).pipe(z.string().min(1, 'say why the line stops')) });
export const ZFreeze = z
  .object({
    id: ZUuid,
    reason: z.string(),
    startedBy: z.string(),
    startedAt: ZIsoDate,
    endedBy: z.string().nullable(),
    endedAt: ZIsoDate.nullable(),
  })
  .meta({ id: 'Freeze' });
export type TFreeze = z.infer<typeof ZFreeze>;

/** A new attempt of a rolled-back release, at a smaller percentage after a fix (seed 000). */
export const ZReopenBody = z.object({
  /** The first stage's traffic; it must be below the percent the rolled-back attempt reached. */
  trafficPercent: z.number().gt(0).max(100),
  /** The fixed version; omitted: the same version. */
  version: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\s]+$/, 'must not contain spaces')
    .optional(),
  reason: boundedText(2000).pipe(z.string().min(1, 'say what was fixed')),
});
export type TReopenBody = z.infer<typeof ZReopenBody>;
