// Records a problem on a release and carries out the playbook's response, in the caller's transaction:
// shared by people's reports and alert webhooks, so both are judged by the same rules.
import type { TIncidentSeverity, TProblemKind } from '@rampart/contracts';
import type { TActor } from '@rampart/domain';
import { incidentReason, incidentResponse, severityOffScale, whyNoIncident } from '@rampart/domain';
import type { Incident } from '../../generated/prisma/client.js';
import type { Tx } from '../../db/prisma.js';
import { ServiceError, invalidBody } from '../../errors.js';
import { persistChange } from '../releases/persist-change.js';
import type { TReleaseRecord } from '../releases/release-record.js';
import { reportedEvent } from './incident-events.js';
import { carryOutResponse } from './respond.js';

export interface TNewIncident {
  kind: TProblemKind;
  severity: TIncidentSeverity | null;
  title: string;
  detail: string;
  publicNote: string | null;
  link: string | null;
  handler: string | null;
  /** When it started, if the reporter knows it began earlier than now. */
  startedAt: Date | null;
  source: 'person' | 'alert';
  /** An alert's fingerprint. */
  externalKey: string | null;
}

/** Refuses a severity off the release's scale (400 naming body.severity). */
export function checkSeverity(record: TReleaseRecord, severity: TIncidentSeverity | null | undefined): void {
  const offScale = severity ? severityOffScale(record.spec.incidentScale, severity) : null;
  if (offScale) throw invalidBody('severity', offScale);
}

export async function openIncident(tx: Tx, actor: TActor, record: TReleaseRecord, input: TNewIncident, at: Date): Promise<Incident> {
  checkSeverity(record, input.severity);
  const refused = whyNoIncident(record.snapshot.state);
  if (refused) throw new ServiceError('conflict', refused, { state: record.snapshot.state, releaseId: record.row.id });

  const problem = { kind: input.kind, severity: input.severity, title: input.title };
  const response = incidentResponse(record.spec, problem);
  // A start "later than now" is a clock apart (an alerting tool's, a person's time zone): it started now.
  const startedAt = input.startedAt && input.startedAt < at ? input.startedAt : at;
  const incident = await tx.incident.create({
    data: {
      releaseId: record.row.id,
      kind: input.kind,
      severity: input.severity,
      title: input.title,
      detail: input.detail,
      publicNote: input.publicNote,
      link: input.link,
      handler: input.handler,
      source: input.source,
      externalKey: input.externalKey,
      reportedById: actor.userId,
      reportedByName: actor.name,
      action: response.action,
      startedAt,
      createdAt: at,
    },
  });
  const reported = reportedEvent(incident, response.page);
  const revision = await persistChange(tx, record, record.snapshot, { actor, events: [reported], at });
  await carryOutResponse(tx, { record, revision, incidentId: incident.id, action: response.action, reason: incidentReason(problem, actor.name), at });
  return incident;
}
