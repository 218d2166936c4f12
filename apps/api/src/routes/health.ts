import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_VERSION } from '../plugins/openapi.js';

const DATABASE_CHECK_TIMEOUT_MS = 1000;

const ZHealth = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  timestamp: z.string(),
  version: z.string(),
  checks: z.object({ database: z.boolean() }),
});

async function databaseReachable(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** As seed 003 describes its health endpoint: 200 only when every check passes. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      config: { public: true },
      schema: { tags: ['system'], operationId: 'getHealth', summary: 'Liveness and database reachability', security: [], response: { 200: ZHealth, 503: ZHealth } },
    },
    async (_request, reply) => {
      const database = await databaseReachable(() => app.db.$queryRaw`SELECT 1`);
      const body = {
        status: database ? ('healthy' as const) : ('unhealthy' as const),
        timestamp: app.clock.now().toISOString(),
        version: API_VERSION,
        checks: { database },
      };
      return reply.code(database ? 200 : 503).send(body);
    },
  );

  app.get(
    '/metrics',
    {
      // Admins, or a scraper with `Authorization: Bearer <RAMPART_METRICS_TOKEN>`.
      config: { permission: 'admin', metricsScrape: true },
      schema: { tags: ['system'], summary: "Rampart's own metrics, Prometheus text format", hide: true },
    },
    async (_request, reply) => {
      reply.header('content-type', app.metricsRegistry.contentType);
      return app.metricsRegistry.metrics();
    },
  );

  app.get(
    '/api/clock',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        operationId: 'getClock',
        summary: "The server's clock: dashboards show countdowns and relative times on it",
        security: [],
        response: { 200: z.object({ now: z.string(), timeScale: z.number().describe('How many times faster than the wall clock it runs (RAMPART_TIME_SCALE)') }) },
      },
    },
    async () => ({ now: app.clock.now().toISOString(), timeScale: app.settings.timeScale }),
  );

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
};
