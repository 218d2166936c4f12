// Browser hardening on every answer (helmet): a Content-Security-Policy the built dashboard
// passes with nothing inline (Vite emits only external scripts and stylesheets; React and recharts set
// styles through the DOM, which CSP does not restrict), no framing at all (the one-click rollback must
// not be clickjackable), nosniff, and no Referer to other sites.
// helmet's middleware is built once here and applied per request: @fastify/helmet 13 rebuilds it (and
// re-parses the whole policy) on every request, which profiling put at a tenth of a cached read's CPU.
import type { IncomingMessage } from 'node:http';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/** A Host header fit to write into a header: a name or address and an optional port, nothing else. */
const SAFE_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The live socket's address: connect-src 'self' covers ws(s) of the same host in CSP level 3 browsers,
 * older ones (Safari before 15.4) need it spelled out, for the host the page was loaded from.
 */
function websocketSources(request: IncomingMessage): string {
  const host = request.headers.host;
  return host && SAFE_HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

export const securityHeadersPlugin = fp(
  async (app) => {
    const https = app.settings.publicUrl.startsWith('https://');
    const applyHeaders = helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'", websocketSources],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // Only behind https: on a plain-http install it would send the dashboard's own requests to a port that does not answer.
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      // Browsers ignore HSTS over http; over https it is right.
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    });
    app.addHook('onRequest', (request, reply, done) => {
      applyHeaders(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
    });
  },
  { name: 'security-headers', dependencies: ['database'] },
);
