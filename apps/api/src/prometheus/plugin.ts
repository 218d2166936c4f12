// Runs the Prometheus poller inside the app (when asked to) and lets new points and outages reach the
// autopilot and the live channel at once, like pushed points do.
import fp from 'fastify-plugin';
import { createOutboundClient } from '../outbound/outbound-client.js';
import type { TPrometheusPoller } from './poller.js';
import { startPrometheusPoller } from './poller.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when this app polls no Prometheus (tests drive a poller of their own). */
    prometheus: TPrometheusPoller | null;
  }
}

export interface TPrometheusPluginOptions {
  /** Wall-clock ms between passes; false polls nothing. */
  intervalMs: number | false;
}

export const prometheusPlugin = fp<TPrometheusPluginOptions>(
  async (app, options) => {
    if (options.intervalMs === false) {
      app.decorate('prometheus', null);
      return;
    }
    const outbound = createOutboundClient(app.settings.outboundAllow);
    const poller = startPrometheusPoller({
      db: app.db,
      outbound,
      clock: app.clock,
      intervalMs: options.intervalMs,
      log: app.log.child({ module: 'prometheus' }),
      onPolled(releaseId, result) {
        if (result.points.length > 0) app.live.publishMetrics(releaseId, result.points);
        app.autopilot?.nudge(releaseId);
      },
    });
    app.decorate('prometheus', poller);
    app.addHook('onClose', async () => {
      await poller.stop();
      await outbound.close();
    });
  },
  { name: 'prometheus', dependencies: ['database', 'autopilot'] },
);
