// Builds the Fastify app from its plugins and routes. It listens nowhere and owns no database:
// server.ts does both, and tests call buildApp with a database of their own.
import Fastify, { LogController } from 'fastify';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Clock } from './clock.js';
import type { TConfig } from './config.js';
import type { Db } from './db/prisma.js';
import './plugins/fastify-types.js';
import { authPlugin } from './plugins/auth.js';
import { autopilotPlugin } from './plugins/autopilot.js';
import { contextPlugin } from './plugins/context.js';
import { livePlugin } from './live/plugin.js';
import type { TLiveOptions } from './live/plugin.js';
import { errorHandlerPlugin, frameworkErrorReply } from './plugins/error-handler.js';
import { metricsPlugin } from './plugins/metrics.js';
import { openapiPlugin } from './plugins/openapi.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { safeTextPlugin } from './plugins/safe-text.js';
import { spaPlugin } from './plugins/spa.js';
import { tokenRoutes, userRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { kubernetesRoutes } from './routes/kubernetes.js';
import { playbookRoutes } from './routes/playbooks.js';
import { metricRoutes } from './routes/metrics.js';
import { metricsSourceRoutes } from './routes/metrics-source.js';
import { checklistSectionRoutes } from './routes/checklist-sections.js';
import { prometheusPlugin } from './prometheus/plugin.js';
import { releaseRoutes } from './routes/releases.js';
import { statusRoutes } from './routes/status.js';
import { webhookRoutes } from './routes/webhooks.js';
import { contactRoutes } from './routes/contacts.js';
import { incidentRoutes } from './routes/incidents.js';
import { freezeRoutes } from './routes/freeze.js';
import { reopenRoutes } from './routes/reopen.js';
import { notifyPlugin } from './notify/plugin.js';
import { webhookWorkerPlugin } from './webhooks/plugin.js';
import type { TWebhookPluginOptions } from './webhooks/plugin.js';

export interface TAppOptions {
  /** The built dashboard to serve (apps/web/dist); none in most tests. */
  webRoot?: string | null;
  db: Db;
  clock: Clock;
  settings: TConfig;
  logger?: FastifyServerOptions['logger'];
  /** Requests to leave out of the request log (the demo simulator's own calls). */
  disableRequestLogging?: (request: FastifyRequest) => boolean;
  /** Live updates (GET /api/ws). Default: LISTEN on the database of `db`'s own pool. */
  live?: TLiveOptions;
  /** Wall-clock milliseconds between autopilot passes; false (the default) runs none. */
  autopilotIntervalMs?: number | false;
  /** The webhook outbox sender: on by default with production settings; false runs none; tests pass short timings. */
  webhooks?: TWebhookPluginOptions;
  /** Wall-clock milliseconds between Prometheus polls; false (the default) polls none. */
  prometheusIntervalMs?: number | false;
  /** How long a looked-up token or session is served from memory (wall-clock ms; default 5 s; 0: never). */
  credentialCacheMs?: number;
}

/** 4 MiB: a 10,000-point metrics batch (about 1 MiB of JSON) fits with room; anything larger is refused with 413 before parsing. */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export async function buildApp(options: TAppOptions) {
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: options.disableRequestLogging ?? false }),
    bodyLimit: BODY_LIMIT_BYTES,
    frameworkErrors: frameworkErrorReply,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(contextPlugin, { db: options.db, clock: options.clock, settings: options.settings });
  await app.register(errorHandlerPlugin);
  await app.register(securityHeadersPlugin);
  await app.register(safeTextPlugin);
  await app.register(openapiPlugin);
  await app.register(metricsPlugin);
  await app.register(authPlugin, options.credentialCacheMs === undefined ? {} : { credentialCacheMs: options.credentialCacheMs });
  await app.register(autopilotPlugin, { intervalMs: options.autopilotIntervalMs ?? false });
  await app.register(webhookWorkerPlugin, { worker: options.webhooks ?? {} });
  // Before the routes: @fastify/websocket must see every route to refuse upgrades on plain ones.
  await app.register(livePlugin, options.live ?? { listenUrl: null });
  await app.register(prometheusPlugin, { intervalMs: options.prometheusIntervalMs ?? false });
  await app.register(notifyPlugin);

  await app.register(healthRoutes);
  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.register(userRoutes, { prefix: '/api/users' });
  await app.register(tokenRoutes, { prefix: '/api/tokens' });
  await app.register(playbookRoutes, { prefix: '/api/playbooks' });
  await app.register(releaseRoutes, { prefix: '/api/releases' });
  await app.register(metricRoutes, { prefix: '/api/releases' });
  await app.register(metricsSourceRoutes, { prefix: '/api/releases' });
  await app.register(checklistSectionRoutes, { prefix: '/api/releases' });
  await app.register(statusRoutes, { prefix: '/api/status' });
  await app.register(contactRoutes, { prefix: '/api/releases' });
  await app.register(incidentRoutes, { prefix: '/api' });
  await app.register(freezeRoutes, { prefix: '/api' });
  await app.register(reopenRoutes, { prefix: '/api/releases' });
  await app.register(kubernetesRoutes, { prefix: '/api/integrations' });
  if (options.webRoot) await app.register(spaPlugin, { root: options.webRoot });
  await app.register(webhookRoutes, { prefix: '/api/webhooks' });
  await app.ready();
  return app;
}

export type TApp = Awaited<ReturnType<typeof buildApp>>;
