import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const API_VERSION = '0.1.0';

export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Rampart API',
          description: 'Staged rollouts with checklists, sign-offs, canary judgement and one-click ramp, pause and roll back.',
          version: API_VERSION,
        },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'rampart_session' },
            token: { type: 'http', scheme: 'bearer', description: 'An API token (rpt_...)' },
          },
        },
        security: [{ session: [] }, { token: [] }],
      },
      transform: jsonSchemaTransform,
      // Schemas with a zod `meta({ id })` become components, referenced instead of repeated.
      transformObject: jsonSchemaTransformObject,
    });
  },
  { name: 'openapi' },
);
