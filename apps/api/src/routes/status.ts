import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZStatusPage } from '@rampart/contracts';
import { statusPage } from '../services/releases/status-page.js';

export const statusRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/',
    { config: { public: true }, schema: { tags: ['status'], summary: 'What is rolling out, for support; no login, nothing private', security: [], response: { 200: ZStatusPage } } },
    async () => statusPage(app),
  );
};
