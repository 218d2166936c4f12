// Someone moves an incident along (open → mitigated → resolved), names who handles it, says what the public
// may read, or re-grades its severity. Resolving never reverses what the playbook did; a severity raised to
// one whose response is stronger than what was done carries out the stronger response (triage upgrading a
// P3 to a P1 rolls back as reporting a P1 would have).
import type { TIncident, TIncidentAction, TIncidentSeverity, TProblemKind, TUpdateIncidentBody } from '@rampart/contracts';
import { actionRank, incidentReason, incidentResponse, whyNoStatusChange } from '@rampart/domain';
import type { Incident, Prisma } from '../../generated/prisma/client.js';
import { ServiceError, notFound } from '../../errors.js';
import type { TServiceContext } from '../context.js';
import { persistChange } from '../releases/persist-change.js';
import { loadRelease } from '../releases/release-record.js';
import { inTransaction } from '../releases/transaction.js';
import { updatedEvent } from './incident-events.js';
import { incidentView } from './incident-view.js';
import { retryLostRace } from './lost-race.js';
import { checkSeverity } from './open-incident.js';
import { carryOutResponse } from './respond.js';

/** The columns the update changes, and the names of the fields that changed. */
function changesOf(incident: Incident, body: TUpdateIncidentBody, now: Date): { data: Prisma.IncidentUpdateInput; changed: string[] } {
  const data: Prisma.IncidentUpdateInput = {};
  const changed: string[] = [];
  if (body.status !== undefined && body.status !== incident.status) {
    const refused = whyNoStatusChange(incident.status as TIncident['status'], body.status);
    if (refused) throw new ServiceError('conflict', refused, { field: 'body.status' });
    data.status = body.status;
    if (body.status === 'mitigated') data.mitigatedAt = now;
    if (body.status === 'resolved') data.resolvedAt = now;
    changed.push('status');
  }
  if (body.handler !== undefined && (body.handler || null) !== incident.handler) {
    data.handler = body.handler || null;
    changed.push('handler');
  }
  if (body.publicNote !== undefined && (body.publicNote || null) !== incident.publicNote) {
    data.publicNote = body.publicNote || null;
    changed.push('publicNote');
  }
  if (body.severity !== undefined && body.severity !== incident.severity) {
    data.severity = body.severity;
    changed.push('severity');
  }
  return { data, changed };
}

export async function updateIncident(ctx: TServiceContext, releaseId: string, incidentId: string, body: TUpdateIncidentBody): Promise<TIncident> {
  const row = await retryLostRace(() =>
    inTransaction(ctx.db, async (tx) => {
      const incident = await tx.incident.findFirst({ where: { id: incidentId, releaseId } });
      if (!incident) throw notFound('Incident');
      const record = await loadRelease(tx, releaseId);
      checkSeverity(record, body.severity);
      const now = ctx.clock.now();
      const { data, changed } = changesOf(incident, body, now);
      if (changed.length === 0) return incident;

      const status = (data.status as TIncident['status'] | undefined) ?? (incident.status as TIncident['status']);
      const problem = { kind: incident.kind as TProblemKind, severity: (body.severity ?? incident.severity) as TIncidentSeverity | null, title: incident.title };
      const response = incidentResponse(record.spec, problem);
      const done = incident.action as TIncidentAction;
      const escalated = changed.includes('severity') && status !== 'resolved' && actionRank(response.action) > actionRank(done);
      if (escalated) data.action = response.action;
      const updated = await tx.incident.update({ where: { id: incident.id }, data });

      const event = updatedEvent(updated, changed, { escalated, page: escalated && response.page });
      const revision = await persistChange(tx, record, record.snapshot, { actor: ctx.actor, events: [event], at: now });
      if (escalated) {
        await carryOutResponse(tx, { record, revision, incidentId: incident.id, action: response.action, reason: incidentReason(problem, ctx.actor.name, true), at: now });
      }
      return updated;
    }),
  );
  return incidentView(row);
}
