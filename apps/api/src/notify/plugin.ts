import fp from 'fastify-plugin';
import { createMailer } from './mailer.js';
import type { TEmailRetryPolicy } from './retry.js';
import { DEFAULT_EMAIL_RETRY } from './retry.js';
import type { TNotifyWorker } from './worker.js';
import { startNotifyWorker } from './worker.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Escalation and the email outbox; `tick()` runs a pass at once (tests). */
    notify: TNotifyWorker;
  }
}

export interface TNotifyPluginOptions {
  retry?: TEmailRetryPolicy;
}

/** Started once the app is ready (a failed build leaves no timer), stopped on close with its send in flight given up. */
export const notifyPlugin = fp<TNotifyPluginOptions>(
  async (app, options) => {
    let worker: TNotifyWorker | null = null;
    app.decorate('notify', {
      tick: async () => worker?.tick(),
      stop: async () => worker?.stop(),
    });
    app.addHook('onReady', async () => {
      const smtp = app.settings.smtp;
      const mailer = smtp ? createMailer(smtp) : null;
      app.log.info({ email: smtp ? smtp.describe() : 'off' }, smtp ? 'email goes out through the configured SMTP server' : 'email is off (no RAMPART_SMTP_URL)');
      worker = startNotifyWorker({
        db: app.db,
        clock: app.clock,
        mailer,
        publicUrl: app.settings.publicUrl,
        log: app.log,
        intervalMs: app.settings.notifyIntervalMs,
        retry: options.retry ?? DEFAULT_EMAIL_RETRY,
      });
    });
    app.addHook('onClose', async () => worker?.stop());
  },
  { name: 'notify', dependencies: ['database'] },
);
