import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZApiError, ZLoginBody, ZMe } from '@rampart/contracts';
import { z } from 'zod';
import { SESSION_COOKIE } from '../plugins/auth.js';
import { serviceContext } from '../plugins/context.js';
import { checkCredentials } from '../services/auth/login.js';
import { createSession, endSession } from '../services/auth/sessions.js';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: app.settings.secureCookies, path: '/' };

  app.post(
    '/login',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Log in; sets an httpOnly session cookie', security: [], body: ZLoginBody, response: { 200: ZMe, 401: ZApiError } },
    },
    async (request, reply) => {
      const user = await checkCredentials(app.db, request.body.email, request.body.password);
      const session = await createSession(app.db, user.id, app.clock, app.settings.sessionHours);
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
      request.log.info({ userId: user.id }, 'logged in');
      return { id: user.id, email: user.email, name: user.name, role: user.role, approvalRoles: user.approvalRoles, via: 'session' as const };
    },
  );

  app.post(
    '/logout',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'End the session', security: [], response: { 204: z.undefined() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await endSession(app.db, token);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.code(204).send();
    },
  );

  app.get(
    '/me',
    { config: { permission: 'self' }, schema: { tags: ['auth'], summary: 'Who is logged in', response: { 200: ZMe } } },
    async (request) => {
      const { actor } = serviceContext(request);
      const user = await app.db.user.findUniqueOrThrow({ where: { id: actor.userId ?? '' } });
      return {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        approvalRoles: user.approvalRoles,
        via: actor.kind === 'token' ? ('token' as const) : ('session' as const),
      };
    },
  );
};
