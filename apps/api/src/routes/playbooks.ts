import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZCreatePlaybookBody, ZIdParams, ZPlaybook, ZPlaybookSummary, ZUpdatePlaybookBody } from '@rampart/contracts';
import { z } from 'zod';
import { serviceContext } from '../plugins/context.js';
import { createPlaybook, getPlaybook, listPlaybooks, updatePlaybook } from '../services/playbooks/playbooks.js';

export const playbookRoutes: FastifyPluginAsyncZod = async (app) => {
  const read = { permission: 'release:read' as const };
  const write = { permission: 'playbook:write' as const };
  app.get(
    '/',
    { config: read, schema: { tags: ['playbooks'], operationId: 'listPlaybooks', summary: 'List playbooks', response: { 200: z.object({ playbooks: z.array(ZPlaybookSummary) }) } } },
    async () => ({ playbooks: await listPlaybooks(app) }),
  );
  app.get(
    '/:id',
    { config: read, schema: { tags: ['playbooks'], operationId: 'getPlaybook', summary: 'A playbook with its full spec', params: ZIdParams, response: { 200: ZPlaybook } } },
    async (request) => getPlaybook(app, request.params.id),
  );
  app.post(
    '/',
    { config: write, schema: { tags: ['playbooks'], operationId: 'createPlaybook', summary: 'Create a playbook', body: ZCreatePlaybookBody, response: { 201: ZPlaybook } } },
    async (request, reply) => reply.code(201).send(await createPlaybook(serviceContext(request), request.body)),
  );
  app.put(
    '/:id',
    {
      config: write,
      schema: {
        tags: ['playbooks'],
        operationId: 'updatePlaybook',
        summary: 'Edit a playbook (a new version; running releases keep their copy)',
        params: ZIdParams,
        body: ZUpdatePlaybookBody,
        response: { 200: ZPlaybook },
      },
    },
    async (request) => updatePlaybook(serviceContext(request), request.params.id, request.body),
  );
};
