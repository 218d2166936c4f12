import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { withDescriptions, withErrorResponses, withoutTrailingSlash } from './openapi-operations.js';
import type { TSchemaWithDocs } from './openapi-operations.js';
import { tidyDocument } from './openapi-tidy.js';

export const API_VERSION = '0.1.0';

type TTransformInput = Parameters<typeof jsonSchemaTransform>[0];
type TTransformObjectInput = Parameters<typeof jsonSchemaTransformObject>[0];

function transform(input: TTransformInput): ReturnType<typeof jsonSchemaTransform> {
  const source = withErrorResponses(input.schema as TSchemaWithDocs, input.route);
  const json = jsonSchemaTransform({ ...input, schema: source });
  return { ...json, schema: withDescriptions(json.schema as TSchemaWithDocs, source), url: withoutTrailingSlash(json.url) };
}

function transformObject(input: TTransformObjectInput): ReturnType<typeof jsonSchemaTransformObject> {
  return tidyDocument(jsonSchemaTransformObject(input));
}

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
        // Relative, so the document is the same on every instance and clients resolve it against where they fetched it.
        servers: [{ url: '/', description: 'The Rampart server that serves this document' }],
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'rampart_session' },
            token: { type: 'http', scheme: 'bearer', description: 'An API token (rpt_...)' },
          },
        },
        security: [{ session: [] }, { token: [] }],
      },
      transform,
      // Schemas with a zod `meta({ id })` become components, referenced instead of repeated.
      transformObject,
    });
  },
  { name: 'openapi' },
);
