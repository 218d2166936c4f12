import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZIdParams, ZMetricsSourceView, ZPrometheusSource } from '@rampart/contracts';
import { getMetricsSource, setMetricsSource } from '../prometheus/metrics-source.js';

export const metricsSourceRoutes: FastifyPluginAsyncZod = async (app) => {
  app.put(
    '/:id/metrics-source',
    {
      config: { permission: 'release:act' },
      schema: {
        tags: ['metrics'],
        operationId: 'setMetricsSource',
        summary: "Take the release's metrics from Prometheus: a PromQL query per metric and cohort",
        description:
          'Rampart polls {url}/api/v1/query_range every stepSeconds for the window since its last poll and stores the points like pushed ones. ' +
          'Placeholders {{service}}, {{version}}, {{cohort}}, {{release_id}}, {{step}} and the keys of `labels` are filled in (escaped for PromQL strings). ' +
          'While Prometheus fails, a metrics.source_error event says why (the HTTP status or network error, never the answer\'s body) and the gates it feeds are inconclusive. ' +
          'The URL must pass the outbound policy: loopback, private, link-local and metadata addresses are refused (400 naming body.url) unless RAMPART_OUTBOUND_ALLOW opens them.',
        params: ZIdParams,
        body: ZPrometheusSource,
        response: { 200: ZMetricsSourceView },
      },
    },
    async (request) => setMetricsSource(app, request.params.id, request.body, app.settings.outboundAllow),
  );

  app.get(
    '/:id/metrics-source',
    {
      config: { permission: 'release:read' },
      schema: {
        tags: ['metrics'],
        operationId: 'getMetricsSource',
        summary: "The release's Prometheus source and how polling goes (the current error, if any)",
        params: ZIdParams,
        response: { 200: ZMetricsSourceView },
      },
    },
    async (request) => getMetricsSource(app, request.params.id),
  );
};
