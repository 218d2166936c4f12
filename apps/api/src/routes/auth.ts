import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import rateLimit from '@fastify/rate-limit';
import { ZApiError, ZLoginBody, ZMe } from '@rampart/contracts';
import { z } from 'zod';
import { SESSION_COOKIE } from '../plugins/auth.js';
import { serviceContext } from '../plugins/context.js';
import { checkCredentials } from '../services/auth/login.js';
import { createSession, endSession } from '../services/auth/sessions.js';

/** More logins than this in progress (most waiting for a hashing turn): new ones are turned away at once (503). */
const MAX_LOGINS_IN_PROGRESS = 32;

class LoginThrottled extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('login throttled');
  }
}

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: app.settings.secureCookies, path: '/' };

  // Only failed logins count (a peek checks the limits, a failure consumes), so people who log in
  // correctly are never throttled by their own logins. Per account, so guessing one person's password
  // from many addresses stops; per address, so one client cannot try every account. In memory, per
  // instance: N instances allow N times the attempts, still far too few to guess a password.
  await app.register(rateLimit, { global: false });
  const { windowMs, maxFailuresPerAccount, maxFailuresPerAddress } = app.settings.loginThrottle;
  const perAccount = app.createRateLimit({
    max: maxFailuresPerAccount,
    timeWindow: windowMs,
    keyGenerator: (request) => `account:${(request.body as { email: string }).email.toLowerCase()}`,
  });
  const perAddress = app.createRateLimit({ max: maxFailuresPerAddress, timeWindow: windowMs });

  async function refuseIfThrottled(request: FastifyRequest): Promise<void> {
    const limits = await Promise.all([perAccount(request, { increment: false }), perAddress(request, { increment: false })]);
    const waits = limits.flatMap((limit) => (!limit.isAllowed && limit.remaining === 0 ? [Math.max(1, limit.ttlInSeconds)] : []));
    if (waits.length > 0) throw new LoginThrottled(Math.max(...waits));
  }
  let inProgress = 0;

  app.post(
    '/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        operationId: 'logIn',
        summary: 'Log in; sets an httpOnly session cookie',
        description:
          'Failed logins are limited per account and per client address (10 and 50 per 15 minutes): beyond that the answer is 429 with Retry-After, even for the right password, until the window ends.',
        security: [],
        body: ZLoginBody,
        response: { 200: ZMe, 401: ZApiError, 429: ZApiError, 503: ZApiError },
      },
    },
    async (request, reply) => {
      if (inProgress >= MAX_LOGINS_IN_PROGRESS) {
        reply.header('retry-after', '1');
        return reply.code(503).send({ statusCode: 503, error: 'busy', message: 'Too many logins at once; retry in a second' });
      }
      let user;
      inProgress += 1;
      try {
        await refuseIfThrottled(request);
        // Checked again, and failures counted, within the hashing turn: see verifyPassword.
        user = await checkCredentials(app.db, request.body.email, request.body.password, {
          admit: () => refuseIfThrottled(request),
          failed: async () => void (await Promise.all([perAccount(request), perAddress(request)])),
        });
      } catch (error) {
        if (error instanceof LoginThrottled) {
          request.log.warn({ email: request.body.email }, 'login throttled');
          reply.header('retry-after', String(error.retryAfterSeconds));
          return reply.code(429).send({
            statusCode: 429,
            error: 'too_many_requests',
            message: `Too many failed logins; retry in ${error.retryAfterSeconds} s`,
          });
        }
        throw error;
      } finally {
        inProgress -= 1;
      }
      const session = await createSession(app.db, user.id, app.clock, app.settings.sessionHours);
      reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions, expires: session.expiresAt });
      request.log.info({ userId: user.id }, 'logged in');
      return { id: user.id, email: user.email, name: user.name, role: user.role, approvalRoles: user.approvalRoles, via: 'session' as const };
    },
  );

  app.post(
    '/logout',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        operationId: 'logOut',
        summary: 'End the session; live sockets opened with it close (1008)',
        security: [],
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await endSession(app.db, token);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.code(204).send();
    },
  );

  app.get(
    '/me',
    { config: { permission: 'self' }, schema: { tags: ['auth'], operationId: 'getMe', summary: 'Who is logged in', response: { 200: ZMe } } },
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
