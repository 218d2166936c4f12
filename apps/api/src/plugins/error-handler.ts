// One place maps failures to HTTP: validation to 400 naming the field, typed service errors to their
// status (409 and 422 about a release carry the release as it is now), a unique-constraint race to 409
// naming the conflict, anything else to a bare 500.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { STATUS_OF_KIND, ServiceError, uniqueConflict, uniqueViolationOf } from '../errors.js';
import { getRelease } from '../services/releases/get-release.js';

interface TIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
  errors?: TIssue[][];
}

/**
 * A value matching no branch of a union gets zod's bare "Invalid input"; the branch that came closest
 * (fewest issues) says what is actually wrong, e.g. a scalar metric point's bad `ts`.
 */
function innermostIssue(issue: TIssue): TIssue {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return issue;
  const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0];
  const first = closest?.[0];
  if (!first) return issue;
  const inner = innermostIssue(first);
  return { ...inner, path: [...issue.path, ...inner.path] };
}

function validationReply(error: FastifyError) {
  const first = error.validation?.[0];
  const context = error.validationContext ?? 'body';
  const base = first?.instancePath.split('/').filter(Boolean) ?? [];
  const params = (first?.params ?? {}) as { errors?: TIssue[][] };
  const issue = innermostIssue({ path: [], message: first?.message ?? 'is invalid', code: first?.keyword, errors: params.errors });
  const path = [...base, ...issue.path.map(String)].join('.');
  const field = path ? `${context}.${path}` : context;
  return { statusCode: 400, error: 'bad_request', message: `${field}: ${issue.message}`, field };
}

async function serviceErrorReply(app: FastifyInstance, error: ServiceError) {
  const statusCode = STATUS_OF_KIND[error.kind];
  const { releaseId, field, blockers, state, action } = error.extras;
  const body = {
    statusCode,
    error: error.kind,
    message: error.message,
    ...(field ? { field } : {}),
    ...(blockers ? { blockers } : {}),
    ...(state ? { state } : {}),
    ...(action ? { action } : {}),
  };
  if (!releaseId || statusCode < 409) return body;
  return { ...body, release: await getRelease(app, releaseId) };
}

/**
 * Errors the router raises before any hook runs (a path parameter too long, bad percent-encoding):
 * the same shape as every other error, and never the URL echoed back.
 */
export function frameworkErrorReply(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const statusCode = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
  const messages: Record<string, string> = {
    FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
    FST_ERR_BAD_URL: 'The URL is malformed',
  };
  // Everything the router refuses is in the URL: a 400 names it as its field, like every other 400.
  const message = (error.code && messages[error.code]) ?? 'The request is malformed';
  void reply.code(statusCode).send({
    statusCode,
    error: error.code?.replace(/^FST_ERR_/, '').toLowerCase() ?? 'bad_request',
    message: statusCode === 400 ? `url: ${message}` : message,
    ...(statusCode === 400 ? { field: 'url' } : {}),
  });
}

export const errorHandlerPlugin = fp(
  async (app) => {
    app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (hasZodFastifySchemaValidationErrors(error)) {
        return reply.code(400).send(validationReply(error));
      }
      if (error instanceof ServiceError) {
        const body = await serviceErrorReply(app, error);
        return reply.code(body.statusCode).send(body);
      }
      const violation = uniqueViolationOf(error);
      if (violation) {
        const body = await serviceErrorReply(app, uniqueConflict(violation));
        return reply.code(body.statusCode).send(body);
      }
      const statusCode = error.statusCode ?? 500;
      if (statusCode < 500) {
        // Fastify's own 4xx: malformed JSON, a body too large, an unsupported content type. Its 400s are
        // all about the body as a whole (unparsable, empty, a forbidden __proto__ key), so they name it.
        const code = error.code?.replace(/^FST_ERR_/, '').toLowerCase() ?? 'bad_request';
        if (statusCode !== 400) return reply.code(statusCode).send({ statusCode, error: code, message: error.message });
        return reply.code(400).send({ statusCode, error: code, message: `body: ${error.message}`, field: 'body' });
      }
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ statusCode: 500, error: 'internal', message: 'Internal server error' });
    });
    app.setNotFoundHandler(async (request, reply) =>
      reply.code(404).send({ statusCode: 404, error: 'not_found', message: `No route ${request.method} ${request.url}` }),
    );
  },
  { name: 'error-handler' },
);
