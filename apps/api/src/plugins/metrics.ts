// Rampart's own metrics in Prometheus format: request latency by route, how long autopilot passes take
// and how late verdicts come, plus the process defaults. Those keep prom-client's standard names (no
// prefix), so the usual Node.js dashboards find them. GET /metrics is for admins and for a scraper
// holding RAMPART_METRICS_TOKEN (see the auth plugin): per-route traffic is not for everyone.
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RELEASE_STATES } from '@rampart/contracts';
import type { TAutopilotObserver } from '../autopilot/autopilot.js';

declare module 'fastify' {
  interface FastifyInstance {
    metricsRegistry: Registry;
    /** Feeds the autopilot histograms; the autopilot plugin hands it to the loop. */
    autopilotObserver: TAutopilotObserver;
  }
}

/**
 * Wall-clock seconds, not the app clock's: they measure this process keeping up. From a point's arrival
 * to the stored verdict that included it, a pass's length plus the wait behind the running one; the
 * buckets reach minutes because falling behind is what they are there to show.
 */
function autopilotHistograms(registry: Registry): TAutopilotObserver {
  const passSeconds = new Histogram({
    name: 'rampart_autopilot_pass_duration_seconds',
    help: 'Wall-clock duration of one autopilot pass over every active release (on the lease holder)',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const lagSeconds = new Histogram({
    name: 'rampart_autopilot_verdict_lag_seconds',
    help: "Wall-clock seconds from a metric point's arrival to the stored verdict that included it (the oldest waiting point of the release)",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  return {
    passEnded: (seconds) => passSeconds.observe(seconds),
    verdictLag: (seconds) => lagSeconds.observe(seconds),
  };
}

const UNLABELLED_TOTAL_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export const metricsPlugin = fp(
  async (app) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    // Gauges must not end in _total (promtool: that suffix is for counters). These three are the sums
    // of nodejs_active_handles, _requests and _resources, which stay (by type): sum() gives the same.
    for (const name of UNLABELLED_TOTAL_GAUGES) registry.removeSingleMetric(name);
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
    app.decorate('autopilotObserver', autopilotHistograms(registry));
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, not the URL, keeps the label set small.
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
      duration.observe(labels, reply.elapsedTime / 1000);
      requests.inc(labels);
    });
  },
  { name: 'metrics', dependencies: ['database'] },
);
