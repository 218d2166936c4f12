// Authentication (session cookie or bearer token) and authorization (the route's declared permission),
// both before validation, so an anonymous caller learns nothing about a route's input.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import { can } from '@rampart/domain';
import { actorOfApiToken } from '../services/auth/api-tokens.js';
import { CredentialCache } from '../services/auth/credential-cache.js';
import type { TAuthenticated } from '../services/auth/credential-cache.js';
import type { TCredential, TRevocation } from '../services/auth/revocations.js';
import { revocations } from '../services/auth/revocations.js';
import { hashSecret } from '../services/auth/secrets.js';
import { actorOfSession } from '../services/auth/sessions.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session or token the actor authenticated with: long-lived uses (sockets) watch it for revocation. */
    credential: TCredential | null;
  }
  interface FastifyContextConfig {
    /** The route also accepts `Authorization: Bearer <RAMPART_METRICS_TOKEN>` (Prometheus scrapes of GET /metrics). */
    metricsScrape?: boolean;
    /**
     * The route also accepts an API token inside its JSON body (Flagger webhooks, which send no headers): where
     * to find it. Without a header or cookie, such a route is authenticated after its body is parsed.
     */
    bodyToken?: (body: unknown) => string | null;
  }
}

function bearerOf(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : null;
}

/** Constant-time, so the scrape secret cannot be guessed a byte at a time. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export const SESSION_COOKIE = 'rampart_session';

export interface TAuthOptions {
  /** How long a looked-up token or session is served from memory (wall-clock ms; 0: never). Default 5 s. */
  credentialCacheMs?: number;
}

export const authPlugin = fp<TAuthOptions>(
  async (app, options) => {
    await app.register(cookie);
    // A revocation, here or on another instance, reaches the cache before the next request is authenticated.
    const cache = new CredentialCache({ ttlMs: options.credentialCacheMs ?? 5_000 });
    const evict = (revocation: TRevocation) => cache.revoke(revocation);
    const forgetUser = (userId: string) => cache.forgetUser(userId);
    revocations.on('revoked', evict);
    revocations.on('revokedElsewhere', evict);
    revocations.on('userChanged', forgetUser);
    app.addHook('onClose', async () => {
      revocations.off('revoked', evict);
      revocations.off('revokedElsewhere', evict);
      revocations.off('userChanged', forgetUser);
    });
    app.decorateRequest('actor', null);
    app.decorateRequest('credential', null);

    app.addHook('onRoute', (route) => {
      const config = route.config as { permission?: string; public?: boolean } | undefined;
      if (!config?.public && !config?.permission) {
        throw new Error(`Route ${String(route.method)} ${route.url} must declare a permission or public: true`);
      }
    });

    async function authenticate(request: FastifyRequest): Promise<TAuthenticated | null> {
      if (request.headers.authorization) {
        const token = bearerOf(request.headers.authorization);
        if (!token) return null;
        return cache.lookup(`token:${hashSecret(token)}`, app.clock.now(), () => actorOfApiToken(app.db, token, app.clock));
      }
      const session = request.cookies[SESSION_COOKIE];
      if (!session) return null;
      return cache.lookup(`session:${hashSecret(session)}`, app.clock.now(), () => actorOfSession(app.db, session, app.clock));
    }

    app.addHook('onRequest', async (request, reply) => {
      if (request.is404) return;
      const { permission, public: isPublic, metricsScrape } = request.routeOptions.config;
      const scrapeToken = app.settings.metricsToken;
      const bearer = bearerOf(request.headers.authorization);
      // The scrape secret is no actor: it opens this one route and nothing else.
      if (metricsScrape && scrapeToken && bearer && sameSecret(bearer, scrapeToken)) return;
      const authenticated = await authenticate(request);
      request.actor = authenticated?.actor ?? null;
      request.credential = authenticated?.credential ?? null;
      if (isPublic) return;
      // No header and no cookie: a route reading its token from the body decides once the body is parsed.
      if (!request.actor && request.routeOptions.config.bodyToken && !request.headers.authorization) return;
      if (!request.actor) {
        return reply.code(401).send({ statusCode: 401, error: 'unauthorized', message: 'Log in or send an API token' });
      }
      if (permission && !can(request.actor, permission)) {
        return reply
          .code(403)
          .send({ statusCode: 403, error: 'forbidden', message: `Your role does not allow ${permission}` });
      }
    });

    app.addHook('preValidation', async (request, reply) => {
      const { permission, bodyToken } = request.routeOptions.config;
      if (!bodyToken || request.actor) return;
      const token = bodyToken(request.body);
      const authenticated = token
        ? await cache.lookup(`token:${hashSecret(token)}`, app.clock.now(), () => actorOfApiToken(app.db, token, app.clock))
        : null;
      request.actor = authenticated?.actor ?? null;
      request.credential = authenticated?.credential ?? null;
      if (!request.actor) {
        return reply.code(401).send({ statusCode: 401, error: 'unauthorized', message: 'Log in or send an API token' });
      }
      if (permission && !can(request.actor, permission)) {
        return reply.code(403).send({ statusCode: 403, error: 'forbidden', message: `Your role does not allow ${permission}` });
      }
    });
  },
  { name: 'auth', dependencies: ['database'] },
);
