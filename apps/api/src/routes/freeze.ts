// The change freeze ("stop the line"): admins declare and end it; everyone signed in can see it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZFreeze, ZFreezeBody } from '@rampart/contracts';
import { z } from 'zod';
import { serviceContext } from '../plugins/context.js';
import { declareFreeze } from '../services/freeze/declare-freeze.js';
import { endFreeze } from '../services/freeze/end-freeze.js';
import { getFreeze } from '../services/freeze/get-freeze.js';

const tags = ['freeze'];
const ZFreezeState = z.object({ freeze: ZFreeze.nullable().describe('The freeze in force, or null') });

export const freezeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/admin/freeze',
    {
      config: { permission: 'admin' },
      schema: {
        tags,
        operationId: 'declareFreeze',
        summary: 'Declare a change freeze: no release starts or ramps until it ends',
        description: 'Binding for everyone, admins too: forcing never passes it. Pause and rollback stay open. 409 while a freeze is already in force.',
        body: ZFreezeBody,
        response: { 201: ZFreeze },
      },
    },
    async (request, reply) => reply.code(201).send(await declareFreeze(serviceContext(request), request.body.reason)),
  );

  app.post(
    '/admin/freeze/end',
    {
      config: { permission: 'admin' },
      schema: { tags, operationId: 'endFreeze', summary: 'End the change freeze in force', description: '409 when no freeze is in force.', response: { 200: ZFreeze } },
    },
    async (request) => endFreeze(serviceContext(request)),
  );

  app.get(
    '/freeze',
    {
      config: { permission: 'release:read' },
      schema: { tags, operationId: 'getFreeze', summary: 'The change freeze in force, if any', response: { 200: ZFreezeState } },
    },
    async () => ({ freeze: await getFreeze(app) }),
  );
};
