// The events an incident's life records. Only what the public may read goes in: never the private detail,
// since events reach webhooks, live updates and the status page.
import type { TDomainEvent } from '@rampart/domain';
import type { Incident } from '../../generated/prisma/client.js';

export function reportedEvent(incident: Incident, page: boolean): TDomainEvent {
  return {
    type: 'incident.reported',
    data: {
      incidentId: incident.id,
      kind: incident.kind,
      severity: incident.severity,
      title: incident.title,
      action: incident.action,
      page,
      source: incident.source,
    },
  };
}

/** `escalated`: a raised severity made the response stronger (then `page` is that response's). */
export function updatedEvent(incident: Incident, changed: readonly string[], escalation: { escalated: boolean; page: boolean }): TDomainEvent {
  return {
    type: 'incident.updated',
    data: {
      incidentId: incident.id,
      title: incident.title,
      changed,
      status: incident.status,
      severity: incident.severity,
      handler: incident.handler,
      publicNote: incident.publicNote,
      action: incident.action,
      ...escalation,
    },
  };
}
