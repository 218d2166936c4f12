import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZAnalysis, ZIdParams, ZMetricBatch, ZMetricsAccepted, ZSeries, ZSeriesQuery } from '@rampart/contracts';
import { z } from 'zod';
import { analyzeRelease } from '../services/judgement/analyze-release.js';
import { finiteAnalysis } from '../services/judgement/finite-analysis.js';
import { ingestMetrics } from '../services/metrics/ingest-metrics.js';
import { readSeries } from '../services/metrics/read-series.js';

export const metricRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/:id/metrics',
    {
      config: { permission: 'metrics:write' },
      schema: {
        tags: ['metrics'],
        operationId: 'pushMetrics',
        summary: 'Push metric points (up to 10,000); a point sent twice is stored once and counted as a duplicate',
        description:
          'Scalar points {ts, cohort, metric, value} or histogram points {ts, cohort, metric, buckets: [{le, count}, ..., {le: "+Inf", count}]}. ' +
          'ts is ISO 8601 or epoch milliseconds. A bad point answers 400 naming its index and field, and nothing of the request is stored.',
        params: ZIdParams,
        body: ZMetricBatch,
        response: { 202: ZMetricsAccepted },
      },
    },
    async (request, reply) => {
      const result = await ingestMetrics(app, request.params.id, request.body.points);
      if (result.stored > 0) {
        app.live.publishMetrics(request.params.id, result.scalars);
        app.autopilot?.nudge(request.params.id);
      }
      return reply.code(202).send({ accepted: result.accepted, stored: result.stored, duplicates: result.duplicates });
    },
  );

  app.get(
    '/:id/metrics',
    {
      config: { permission: 'release:read' },
      schema: {
        tags: ['metrics'],
        operationId: 'getMetricSeries',
        summary: 'Canary and baseline series of one metric, downsampled to at most 1500 points',
        description: 'Counters (requests, errors) sum per step; other metrics average; error_rate is errors over requests per step.',
        params: ZIdParams,
        querystring: ZSeriesQuery,
        response: { 200: ZSeries },
      },
    },
    async (request) => readSeries(app, request.params.id, request.query),
  );

  app.get(
    '/:id/analysis',
    {
      config: { permission: 'release:read' },
      schema: {
        tags: ['metrics'],
        operationId: 'getAnalysis',
        summary: "The current stage's gate verdicts with their evidence, the release verdict and its score",
        description: 'Judged now from the stored points; null before the release starts.',
        params: ZIdParams,
        response: { 200: z.object({ analysis: ZAnalysis.nullable() }) },
      },
    },
    async (request) => {
      const analysis = await analyzeRelease(app, request.params.id);
      // The response check refuses an infinity (JSON has none): one slipping out of the engine must not cost the page.
      return { analysis: analysis && finiteAnalysis(analysis) };
    },
  );
};
