// Rampart's own metrics in Prometheus format: request latency by route, plus the process defaults.
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RELEASE_STATES } from '@rampart/contracts';

declare module 'fastify' {
  interface FastifyInstance {
    metricsRegistry: Registry;
  }
}

export const metricsPlugin = fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'rampart_' });
    const duration = new Histogram({
      name: 'rampart_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const requests = new Counter({
      name: 'rampart_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    new Gauge({
      name: 'rampart_releases',
      help: 'Releases by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const counts = await app.db.release.groupBy({ by: ['state'], _count: { _all: true } });
        for (const state of RELEASE_STATES) {
          this.set({ state }, counts.find((c) => c.state === state)?._count._all ?? 0);
        }
      },
    });
    app.decorate('metricsRegistry', registry);
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, not the URL, keeps the label set small.
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
      duration.observe(labels, reply.elapsedTime / 1000);
      requests.inc(labels);
    });
  },
  { name: 'metrics', dependencies: ['database'] },
);
