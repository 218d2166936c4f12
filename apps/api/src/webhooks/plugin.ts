import fp from 'fastify-plugin';
import { createOutboundClient } from '../outbound/outbound-client.js';
import type { TWebhookWorker, TWebhookWorkerSettings } from './worker.js';
import { DEFAULT_WORKER_SETTINGS, startWebhookWorker } from './worker.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Null when this app sends no webhooks. */
    webhookWorker: TWebhookWorker | null;
  }
}

/** false: no sender (the rows wait in the outbox for an instance that runs one). */
export type TWebhookPluginOptions = false | (Partial<TWebhookWorkerSettings> & { backoff?: Partial<TWebhookWorkerSettings['backoff']> });

/** The outbox sender, started with the app and stopped (in-flight requests aborted, claims given back) on close. */
export const webhookWorkerPlugin = fp<{ worker: TWebhookPluginOptions }>(
  async (app, options) => {
    if (options.worker === false) {
      app.decorate('webhookWorker', null);
      return;
    }
    const settings: TWebhookWorkerSettings = {
      ...DEFAULT_WORKER_SETTINGS,
      ...options.worker,
      backoff: { ...DEFAULT_WORKER_SETTINGS.backoff, ...options.worker.backoff },
    };
    const outbound = createOutboundClient(app.settings.outboundAllow);
    // Started once the app is ready, so an app whose build fails leaves no timer behind.
    let worker: TWebhookWorker | null = null;
    app.decorate('webhookWorker', {
      kick: () => worker?.kick(),
      inFlight: () => worker?.inFlight() ?? 0,
      stop: async () => worker?.stop(),
    });
    app.addHook('onReady', async () => {
      worker = startWebhookWorker({ db: app.db, clock: app.clock, publicUrl: app.settings.publicUrl, log: app.log, outbound, settings });
    });
    app.addHook('onClose', async () => {
      await worker?.stop();
      await outbound.close();
    });
  },
  { name: 'webhook-worker', dependencies: ['database'] },
);
