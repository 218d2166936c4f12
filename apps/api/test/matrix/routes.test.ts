// The route table of routes.ts must be the app's routes exactly: same methods and URLs, same
// declared permission, same input schemas. A route added to src/ without a row here fails.
import { describe, expect, it, vi } from 'vitest';
import type * as FastifyModule from 'fastify';
import type { RouteOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/prisma.js';
import { ROUTES, routeName } from './routes.js';

interface TRegistered {
  method: string;
  url: string;
  config: { permission?: string; public?: boolean } | undefined;
  schema: RouteOptions['schema'];
}

// buildApp creates its Fastify instance itself and is ready before returning, so the only way to
// see every route is an onRoute hook added the moment the instance exists: wrap the factory.
const registered = vi.hoisted(() => [] as TRegistered[]);
vi.mock('fastify', async (importOriginal) => {
  const original = await importOriginal<typeof FastifyModule>();
  const factory = ((options?: Parameters<typeof original.default>[0]) => {
    const app = original.default(options);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        registered.push({ method, url: route.url, config: route.config as TRegistered['config'], schema: route.schema });
      }
    });
    return app;
  }) as typeof original.default;
  return { ...original, default: factory };
});

/** HEAD routes are Fastify's automatic twins of GET; a prefix's "/" is registered with and without the slash. */
function appRoutes(): Map<string, TRegistered> {
  const routes = new Map<string, TRegistered>();
  for (const route of registered) {
    if (route.method === 'HEAD') continue;
    const url = route.url.length > 1 ? route.url.replace(/\/$/, '') : route.url;
    routes.set(routeName({ method: route.method as never, url }), { ...route, url });
  }
  return routes;
}

describe('the route table', () => {
  it('lists exactly the routes the app registers, each with its declared permission and input schemas', async () => {
    // No request reaches a handler, so no database is needed.
    const app = await buildApp({ db: {} as Db, clock: new ManualClock(), settings: loadConfig({ RAMPART_DEMO: '0' }) });
    try {
      const actual = appRoutes();
      expect(actual.size).toBeGreaterThan(20);
      expect(ROUTES.map(routeName).sort()).toEqual([...actual.keys()].sort());
      expect(new Set(ROUTES.map(routeName)).size).toBe(ROUTES.length);

      for (const route of ROUTES) {
        expect(app.hasRoute({ method: route.method, url: route.url }), routeName(route)).toBe(true);
        const found = actual.get(routeName(route));
        const declared = found?.config?.public ? 'public' : found?.config?.permission;
        expect(declared, `${routeName(route)}: permission`).toBe(route.access);
        const schema = (found?.schema ?? {}) as Record<string, unknown>;
        for (const part of ['params', 'querystring', 'body'] as const) {
          expect(schema[part] === route.schemas[part], `${routeName(route)}: ${part} schema`).toBe(true);
        }
      }
    } finally {
      await app.close();
    }
  });
});
