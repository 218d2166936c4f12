import type { TIncident, TIncidentAction, TIncidentSeverity, TIncidentStatus, TProblemKind } from '@rampart/contracts';
import type { Incident } from '../../generated/prisma/client.js';

/** The columns the view reads; the rest (externalKey, reportedById, updatedAt) stay inside. */
export function incidentView(row: Incident): TIncident {
  return {
    id: row.id,
    releaseId: row.releaseId,
    kind: row.kind as TProblemKind,
    severity: row.severity as TIncidentSeverity | null,
    status: row.status as TIncidentStatus,
    title: row.title,
    detail: row.detail,
    publicNote: row.publicNote,
    link: row.link,
    handler: row.handler,
    source: row.source as TIncident['source'],
    reportedBy: row.reportedByName,
    action: row.action as TIncidentAction,
    startedAt: row.startedAt.toISOString(),
    mitigatedAt: row.mitigatedAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
