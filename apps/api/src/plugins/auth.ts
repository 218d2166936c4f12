// Authentication (session cookie or bearer token) and authorization (the route's declared permission),
// both before validation, so an anonymous caller learns nothing about a route's input.
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import { can } from '@rampart/domain';
import type { TActor } from '@rampart/domain';
import { actorOfApiToken } from '../services/auth/api-tokens.js';
import { actorOfSession } from '../services/auth/sessions.js';

export const SESSION_COOKIE = 'rampart_session';

export const authPlugin = fp(
  async (app) => {
    await app.register(cookie);
    app.decorateRequest('actor', null);

    app.addHook('onRoute', (route) => {
      const config = route.config as { permission?: string; public?: boolean } | undefined;
      if (!config?.public && !config?.permission) {
        throw new Error(`Route ${String(route.method)} ${route.url} must declare a permission or public: true`);
      }
    });

    async function authenticate(request: FastifyRequest): Promise<TActor | null> {
      const header = request.headers.authorization;
      if (header) {
        const [scheme, token] = header.split(' ');
        if (scheme?.toLowerCase() !== 'bearer' || !token) return null;
        return actorOfApiToken(app.db, token, app.clock);
      }
      const session = request.cookies[SESSION_COOKIE];
      return session ? actorOfSession(app.db, session, app.clock) : null;
    }

    app.addHook('onRequest', async (request, reply) => {
      if (request.is404) return;
      const { permission, public: isPublic } = request.routeOptions.config;
      request.actor = await authenticate(request);
      if (isPublic) return;
      if (!request.actor) {
        return reply.code(401).send({ statusCode: 401, error: 'unauthorized', message: 'Log in or send an API token' });
      }
      if (permission && !can(request.actor, permission)) {
        return reply
          .code(403)
          .send({ statusCode: 403, error: 'forbidden', message: `Your role does not allow ${permission}` });
      }
    });
  },
  { name: 'auth', dependencies: ['database'] },
);
