// Problems and incidents on a release: people report them (support included), alerting tools post them
// through their webhook, and the playbook's response follows. Registered under /api.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZAlertBody, ZApiError, ZIdParams, ZIncident, ZIncidentList, ZIncidentParams, ZReleaseConflict, ZReportIncidentBody, ZUpdateIncidentBody } from '@rampart/contracts';
import { serviceContext } from '../plugins/context.js';
import { listIncidents } from '../services/incidents/list-incidents.js';
import { receiveAlert } from '../services/incidents/receive-alert.js';
import { reportIncident } from '../services/incidents/report-incident.js';
import { updateIncident } from '../services/incidents/update-incident.js';

const tags = ['incidents'];

export const incidentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/releases/:id/incidents',
    {
      config: { permission: 'incident:report' },
      schema: {
        tags,
        operationId: 'reportIncident',
        summary: 'Report a problem or an incident on a release',
        description:
          "Anyone signed in may report, support included, and tokens with the incidents:write scope. The playbook's incidentResponses decide what follows, at once and on Rampart's behalf: roll back, pause, hold the next ramp, or notify (and whether to page). An incident's severity must be on the playbook's scale. A release not started yet or already finished answers 409 with its state.",
        params: ZIdParams,
        body: ZReportIncidentBody,
        response: { 201: ZIncident, 409: ZReleaseConflict },
      },
    },
    async (request, reply) => reply.code(201).send(await reportIncident(serviceContext(request), request.params.id, request.body)),
  );

  app.patch(
    '/releases/:id/incidents/:incidentId',
    {
      config: { permission: 'incident:report' },
      schema: {
        tags,
        operationId: 'updateIncident',
        summary: 'Move an incident along, name its handler, or re-grade it',
        description:
          'Status moves forward only (open, mitigated, resolved; 409 otherwise). Resolving never reverses what the playbook did; raising the severity to one with a stronger response carries that response out.',
        params: ZIncidentParams,
        body: ZUpdateIncidentBody,
        response: { 200: ZIncident, 409: ZApiError },
      },
    },
    async (request) => updateIncident(serviceContext(request), request.params.id, request.params.incidentId, request.body),
  );

  app.get(
    '/releases/:id/incidents',
    {
      config: { permission: 'release:read' },
      schema: { tags, operationId: 'listIncidents', summary: "A release's incidents, the latest to start first (at most 200)", params: ZIdParams, response: { 200: ZIncidentList } },
    },
    async (request) => listIncidents(app.db, request.params.id),
  );

  app.post(
    '/incidents/alerts',
    {
      config: { permission: 'incident:report' },
      schema: {
        tags,
        operationId: 'receiveAlert',
        summary: "An alerting tool's webhook: firing opens an incident, resolved closes it",
        description:
          'For a bearer token with the incidents:write scope. The release is `releaseId`, or the one running or paused release of `service` (404 when none, 409 when several). The first firing of a fingerprint answers 201 with a new incident and carries out the playbook\'s response; a repeat answers 200 with the same incident and changes nothing. Resolved closes the incident that fingerprint opened (404 when none).',
        body: ZAlertBody,
        response: { 200: ZIncident, 201: ZIncident, 404: ZApiError, 409: ZApiError },
      },
    },
    async (request, reply) => {
      const outcome = await receiveAlert(serviceContext(request), request.body);
      return reply.code(outcome.created ? 201 : 200).send(outcome.incident);
    },
  );
};
