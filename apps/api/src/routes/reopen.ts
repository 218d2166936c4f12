// A rolled-back release opened again as a new attempt at a smaller percentage.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParams, ZRelease, ZReleaseConflict, ZReopenBody } from '@rampart/contracts';
import { serviceContext } from '../plugins/context.js';
import { getRelease } from '../services/releases/get-release.js';
import { reopenRelease } from '../services/releases/reopen-release.js';

export const reopenRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/:id/reopen',
    {
      config: { permission: 'release:create' },
      schema: {
        tags: ['releases'],
        operationId: 'reopenRelease',
        summary: 'Reopen a rolled-back release as a new attempt at a smaller percentage',
        description:
          "Creates a draft (its owner: the caller) whose first stage runs at trafficPercent, followed by the old stages with more traffic; its checklist and sign-offs start afresh. The release's owner or an admin only (403). trafficPercent must be below the highest percent the rolled-back attempt reached (400). 409 unless the release is rolled back and not reopened yet.",
        params: ZIdParams,
        body: ZReopenBody,
        response: { 201: ZRelease, 409: ZReleaseConflict },
      },
    },
    async (request, reply) => {
      const ctx = serviceContext(request);
      const id = await reopenRelease(ctx, request.params.id, request.body);
      return reply.code(201).send(await getRelease(ctx, id));
    },
  );
};
