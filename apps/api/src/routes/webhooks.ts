import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ZCreateWebhookBody,
  ZIdParams,
  ZUpdateWebhookBody,
  ZWebhook,
  ZWebhookDeliveriesQuery,
  ZWebhookDelivery,
  ZWebhookDeliveryPage,
  ZWebhookDeliveryParams,
} from '@rampart/contracts';
import { z } from 'zod';
import type { TConfig } from '../config.js';
import { serviceContext } from '../plugins/context.js';
import type { TTargetRules } from '../webhooks/admin.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  updateWebhook,
} from '../webhooks/admin.js';

const targetRules = (settings: TConfig): TTargetRules => ({ allowedHosts: settings.webhookAllowedHosts, outbound: settings.outboundAllow });

/** Outbound webhooks: admins only. The secret goes in on create or rotation and never comes back. */
export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = { permission: 'admin' as const };
  const tags = ['webhooks'];
  app.get(
    '/',
    { config: admin, schema: { tags, operationId: 'listWebhooks', summary: 'List webhooks', response: { 200: z.object({ webhooks: z.array(ZWebhook) }) } } },
    async (request) => ({ webhooks: await listWebhooks(serviceContext(request)) }),
  );
  app.post(
    '/',
    { config: admin, schema: { tags, operationId: 'createWebhook', summary: 'Register a webhook', body: ZCreateWebhookBody, response: { 201: ZWebhook } } },
    async (request, reply) =>
      reply.code(201).send(await createWebhook(serviceContext(request), request.body, targetRules(request.server.settings))),
  );
  app.get(
    '/:id',
    { config: admin, schema: { tags, operationId: 'getWebhook', summary: 'Show a webhook', params: ZIdParams, response: { 200: ZWebhook } } },
    async (request) => getWebhook(serviceContext(request), request.params.id),
  );
  app.patch(
    '/:id',
    {
      config: admin,
      schema: { tags, operationId: 'updateWebhook', summary: 'Change a webhook (URL, events, format, enabled) or rotate its secret', params: ZIdParams, body: ZUpdateWebhookBody, response: { 200: ZWebhook } },
    },
    async (request) => updateWebhook(serviceContext(request), request.params.id, request.body, targetRules(request.server.settings)),
  );
  app.delete(
    '/:id',
    { config: admin, schema: { tags, operationId: 'deleteWebhook', summary: 'Delete a webhook and its delivery log', params: ZIdParams, response: { 200: ZWebhook } } },
    async (request) => deleteWebhook(serviceContext(request), request.params.id),
  );
  app.get(
    '/:id/deliveries',
    {
      config: admin,
      schema: { tags, operationId: 'listWebhookDeliveries', summary: "A webhook's deliveries, newest first", params: ZIdParams, querystring: ZWebhookDeliveriesQuery, response: { 200: ZWebhookDeliveryPage } },
    },
    async (request) => listDeliveries(serviceContext(request), request.params.id, request.query),
  );
  app.post(
    '/:id/deliveries/:deliveryId/redeliver',
    {
      config: admin,
      schema: { tags, operationId: 'redeliverWebhookDelivery', summary: 'Queue a delivery again now', params: ZWebhookDeliveryParams, response: { 200: ZWebhookDelivery } },
    },
    async (request) => {
      const delivery = await redeliver(serviceContext(request), request.params.id, request.params.deliveryId);
      request.server.webhookWorker?.kick();
      return delivery;
    },
  );
};
