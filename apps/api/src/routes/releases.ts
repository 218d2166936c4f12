import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZActionBody,
  ZActionParams,
  ZApprovalBody,
  ZChecklistParams,
  ZChecklistPatchBody,
  ZCreateReleaseBody,
  ZEventPage,
  ZEventsQuery,
  ZIdParams,
  ZListReleasesQuery,
  ZMessageList,
  ZRelease,
  ZReleaseConflict,
  ZReleaseList,
  ZTraffic,
  ZTrafficAckBody,
} from '@rampart/contracts';
import { serviceContext } from '../plugins/context.js';
import { createRelease } from '../services/releases/create-release.js';
import { getRelease } from '../services/releases/get-release.js';
import { ReleaseListReader } from '../services/releases/list-releases.js';
import { ReleaseReader } from '../services/releases/read-release.js';
import { listEvents } from '../services/releases/list-events.js';
import { performAction } from '../services/releases/perform-action.js';
import { recordApproval } from '../services/releases/record-approval.js';
import { renderReleaseMessages } from '../services/releases/render-messages.js';
import { getTraffic, recordTrafficAck } from '../services/releases/traffic.js';
import { updateChecklistItem } from '../services/releases/update-checklist-item.js';
import { sendConditionalJson } from './conditional-get.js';

const tags = ['releases'];
const conflicts = { 409: ZReleaseConflict, 422: ZReleaseConflict };

export const releaseRoutes: FastifyPluginAsyncZod = async (app) => {
  const reader = new ReleaseReader(app.db);
  const lists = new ReleaseListReader(app.db);

  app.post(
    '/',
    {
      config: { permission: 'release:create' },
      schema: { tags, operationId: 'createRelease', summary: 'Create a release from a playbook', body: ZCreateReleaseBody, response: { 201: ZRelease } },
    },
    async (request, reply) => {
      const ctx = serviceContext(request);
      const id = await createRelease(ctx, request.body);
      return reply.code(201).send(await getRelease(ctx, id));
    },
  );

  app.get(
    '/',
    {
      config: { permission: 'release:read' },
      schema: {
        tags,
        operationId: 'listReleases',
        summary: 'List releases, active first',
        description: 'Summaries, paged by `cursor`. Carries a weak ETag over every release the filter matches; If-None-Match with it answers 304 while none changed.',
        querystring: ZListReleasesQuery,
        response: { 200: ZReleaseList },
      },
    },
    async (request, reply) => {
      const page = await lists.read(request.query);
      return sendConditionalJson(request, reply, page.etag, page.json);
    },
  );

  app.get(
    '/:id',
    {
      config: { permission: 'release:read' },
      schema: {
        tags,
        operationId: 'getRelease',
        summary: 'A release with its stages, checklist, approvals and blockers',
        description:
          'Carries a weak ETag keyed by the revision and the current verdicts; If-None-Match with it answers 304 while they hold. The bake countdown in blockers may then be up to a minute older than `bakeEndsAt`.',
        params: ZIdParams,
        response: { 200: ZRelease },
      },
    },
    async (request, reply) => {
      const read = await reader.read(app, request.params.id);
      return sendConditionalJson(request, reply, read.etag, read.json);
    },
  );

  app.post(
    '/:id/actions/:action',
    {
      config: { permission: 'release:act' },
      schema: {
        tags,
        operationId: 'performReleaseAction',
        summary: 'Start, ramp, pause, resume, roll back, complete or abort',
        description: 'Ramp, complete, start and abort answer 409 when expectedRevision is stale; pause, resume and rollback only when another person changed the release\'s course since it, and answer 200 unchanged when already done. An illegal transition answers 409, a blocked action 422 with blockers (force never passes a sign-off); both carry the current release. Anyone who may act may pause or roll back any release; the rest belong to its owner or an admin (403).',
        params: ZActionParams,
        body: ZActionBody,
        response: { 200: ZRelease, ...conflicts },
      },
    },
    async (request) => performAction(serviceContext(request), request.params.id, request.params.action, request.body),
  );

  app.patch(
    '/:id/checklist/:itemId',
    {
      config: { permission: 'checklist:update' },
      schema: { tags, operationId: 'updateChecklistItem', summary: 'Tick, skip or reopen a checklist item', params: ZChecklistParams, body: ZChecklistPatchBody, response: { 200: ZRelease, ...conflicts } },
    },
    async (request) => updateChecklistItem(serviceContext(request), request.params.id, request.params.itemId, request.body),
  );

  app.post(
    '/:id/approvals',
    {
      config: { permission: 'approval:sign' },
      schema: { tags, operationId: 'recordApproval', summary: 'Sign off or reject, before start or for a stage', params: ZIdParams, body: ZApprovalBody, response: { 200: ZRelease, ...conflicts } },
    },
    async (request) => recordApproval(serviceContext(request), request.params.id, request.body),
  );

  app.get(
    '/:id/traffic',
    {
      config: { permission: 'release:read' },
      schema: {
        tags: ['traffic'],
        operationId: 'getTraffic',
        summary: 'Desired and acknowledged traffic percent',
        description: 'Carries an ETag keyed by the revision; If-None-Match with it answers 304, so polling agents cost one small query.',
        params: ZIdParams,
        response: { 200: ZTraffic },
      },
    },
    async (request, reply) => {
      const traffic = await getTraffic(app, request.params.id);
      // Every field here moves with the revision, so it alone identifies the answer.
      return sendConditionalJson(request, reply, `"t${traffic.revision}"`, () => JSON.stringify(traffic));
    },
  );

  app.post(
    '/:id/traffic/ack',
    {
      config: { permission: 'traffic:ack' },
      schema: { tags: ['traffic'], operationId: 'acknowledgeTraffic', summary: 'Record the percent the deploy tooling applied', params: ZIdParams, body: ZTrafficAckBody, response: { 200: ZTraffic, ...conflicts } },
    },
    async (request) => recordTrafficAck(serviceContext(request), request.params.id, request.body.percent),
  );

  app.get(
    '/:id/events',
    { config: { permission: 'release:read' }, schema: { tags, operationId: 'listReleaseEvents', summary: 'The audit log, newest first', params: ZIdParams, querystring: ZEventsQuery, response: { 200: ZEventPage } } },
    async (request) => listEvents(app, request.params.id, request.query),
  );

  app.get(
    '/:id/messages',
    { config: { permission: 'release:read' }, schema: { tags, operationId: 'listReleaseMessages', summary: "The playbook's message templates, filled from the live release", params: ZIdParams, response: { 200: ZMessageList } } },
    async (request) => renderReleaseMessages(app, request.params.id, app.settings.publicUrl),
  );
};
