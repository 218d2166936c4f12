// A release's contacts and the pages sent to them: who it names, who was woken and whether they answered.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZApiError, ZContactSpec, ZContactsBody, ZIdParams, ZPage, ZPageParams, ZReleaseConflict } from '@rampart/contracts';
import { serviceContext } from '../plugins/context.js';
import { readContacts } from '../services/contacts/read-contacts.js';
import { setContacts } from '../services/contacts/set-contacts.js';
import { acknowledgePage } from '../services/paging/acknowledge-page.js';

const tags = ['contacts'];

export const ZContactsView = z
  .object({
    /** The release's own list, or its playbook's when it names none; on-call contacts are paged in this order. */
    contacts: z.array(ZContactSpec),
    /** Every page sent for the release, newest first. */
    pages: z.array(ZPage),
  })
  .meta({ id: 'ContactsView' });

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:id/contacts',
    {
      config: { permission: 'release:read' },
      schema: { tags, operationId: 'getReleaseContacts', summary: "A release's contacts and the pages sent to them", params: ZIdParams, response: { 200: ZContactsView } },
    },
    async (request) => readContacts(app, request.params.id),
  );

  app.put(
    '/:id/contacts',
    {
      config: { permission: 'release:act' },
      schema: {
        tags,
        operationId: 'setReleaseContacts',
        summary: 'Name the people a release pages and mails',
        description:
          "Replaces the release's contacts (its playbook's are the default). On-call contacts are paged in list order on an automatic rollback or a severe incident. The release's owner or an admin only; a stale expectedRevision answers 409.",
        params: ZIdParams,
        body: ZContactsBody,
        response: { 200: ZContactsView, 409: ZReleaseConflict },
      },
    },
    async (request) => setContacts(serviceContext(request), request.params.id, request.body),
  );

  app.post(
    '/:id/pages/:pageId/acknowledge',
    {
      config: { permission: 'incident:report' },
      schema: {
        tags,
        operationId: 'acknowledgePage',
        summary: 'Acknowledge a page, which stops its escalation',
        description: 'Anyone signed in may acknowledge (whoever has it says so). Acknowledging a page stops the escalation of every page for the same cause; a page acknowledged already answers 409.',
        params: ZPageParams,
        response: { 200: ZPage, 409: ZApiError },
      },
    },
    async (request) => acknowledgePage(serviceContext(request), request.params.id, request.params.pageId),
  );
};
