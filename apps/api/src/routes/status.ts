import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZStatusPage } from '@rampart/contracts';
import { cachedRead } from '../services/releases/cached-read.js';
import { statusPage } from '../services/releases/status-page.js';
import { sendConditionalJson } from './conditional-get.js';

/** Anonymous traffic, however heavy, reads the database at most this often per instance. */
export const STATUS_CACHE_MS = 2000;

export const statusRoutes: FastifyPluginAsyncZod = async (app) => {
  const page = cachedRead(async () => {
    const status = await statusPage(app, app.settings.publicUrl);
    // The validator leaves generatedAt out, so a page that did not change revalidates across reloads.
    const digest = createHash('sha1').update(JSON.stringify({ ...status, generatedAt: null })).digest('base64url').slice(0, 16);
    // Encoded once per load: anonymous readers get the same bytes until the next one.
    return { json: Buffer.from(JSON.stringify(status)), etag: `W/"s-${digest}"` };
  }, STATUS_CACHE_MS);

  app.get(
    '/',
    {
      config: { public: true },
      schema: {
        tags: ['status'],
        operationId: 'getStatus',
        summary: 'What is rolling out, for support; no login, nothing private',
        description: `Read from the database at most once every ${STATUS_CACHE_MS / 1000} s per instance. Carries a weak ETag; If-None-Match with it answers 304.`,
        security: [],
        response: { 200: ZStatusPage },
      },
    },
    async (request, reply) => {
      const { json, etag } = await page.get();
      return sendConditionalJson(request, reply, etag, () => json, `public, max-age=${STATUS_CACHE_MS / 1000}`);
    },
  );
};
