import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZApiTokenInfo,
  ZCreateTokenBody,
  ZCreateUserBody,
  ZCreatedToken,
  ZIdParams,
  ZUpdateUserBody,
  ZUser,
} from '@rampart/contracts';
import { z } from 'zod';
import { serviceContext } from '../plugins/context.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../services/auth/api-tokens.js';
import { changeUser } from '../services/auth/user-changes.js';
import { createUser, listUsers } from '../services/users/users.js';

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = { permission: 'admin' as const };
  app.get(
    '/',
    { config: admin, schema: { tags: ['admin'], operationId: 'listUsers', summary: 'List users', response: { 200: z.object({ users: z.array(ZUser) }) } } },
    async (request) => ({ users: await listUsers(serviceContext(request)) }),
  );
  app.post(
    '/',
    { config: admin, schema: { tags: ['admin'], operationId: 'createUser', summary: 'Create a user', body: ZCreateUserBody, response: { 201: ZUser } } },
    async (request, reply) => reply.code(201).send(await createUser(serviceContext(request), request.body)),
  );
  app.patch(
    '/:id',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        operationId: 'updateUser',
        summary: 'Change a user (role, approval roles, password, disabled)',
        description: "Disabling or a new role closes the user's live sockets; a new password closes those opened with a session.",
        params: ZIdParams,
        body: ZUpdateUserBody,
        response: { 200: ZUser },
      },
    },
    async (request) => changeUser(serviceContext(request), request.params.id, request.body),
  );
};

/** People manage their own tokens (a token cannot, unless it has the admin scope); admins see all and may issue one for another user. */
export const tokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const self = { permission: 'token:manage' as const };
  app.get(
    '/',
    { config: self, schema: { tags: ['tokens'], operationId: 'listApiTokens', summary: 'List API tokens', response: { 200: z.object({ tokens: z.array(ZApiTokenInfo) }) } } },
    async (request) => ({ tokens: await listApiTokens(serviceContext(request)) }),
  );
  app.post(
    '/',
    {
      config: self,
      schema: { tags: ['tokens'], operationId: 'createApiToken', summary: 'Create an API token; the token is shown only in this answer', body: ZCreateTokenBody, response: { 201: ZCreatedToken } },
    },
    async (request, reply) => reply.code(201).send(await createApiToken(serviceContext(request), request.body)),
  );
  app.delete(
    '/:id',
    { config: self, schema: { tags: ['tokens'], operationId: 'revokeApiToken', summary: 'Revoke an API token; live sockets opened with it close', params: ZIdParams, response: { 200: ZApiTokenInfo } } },
    async (request) => revokeApiToken(serviceContext(request), request.params.id),
  );
};
