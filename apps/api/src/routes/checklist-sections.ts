import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZIdParams, ZRelease, ZReleaseConflict, ZSeenRevision, boundedText } from '@rampart/contracts';
import { serviceContext } from '../plugins/context.js';
import { markChecklistSectionDone } from '../services/releases/update-checklist-section.js';

export const ZSectionDoneBody = z
  .object({
    section: boundedText(200).pipe(z.string().min(1, 'must not be empty')).describe("The section's title, as the release's checklist spells it"),
    expectedRevision: ZSeenRevision.optional(),
  })
  .strict();

export const checklistSectionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/:id/checklist/sections/done',
    {
      config: { permission: 'checklist:update' },
      schema: {
        tags: ['releases'],
        operationId: 'markChecklistSectionDone',
        summary: "Tick every open item of one checklist section that the caller may tick",
        description:
          'One write, one revision and one checklist.updated event listing the keys. Items the caller may not tick (another approval role owns them) ' +
          'or whose phase is closed (rollback items before a rollback) stay open. 400 names body.section when the section does not exist; ' +
          '403 when the caller may tick none of its open items; 409 when expectedRevision is stale or no open item may move now. ' +
          'A section with nothing open answers 200 unchanged.',
        params: ZIdParams,
        body: ZSectionDoneBody,
        response: { 200: ZRelease, 409: ZReleaseConflict },
      },
    },
    async (request) => markChecklistSectionDone(serviceContext(request), request.params.id, request.body),
  );
};
