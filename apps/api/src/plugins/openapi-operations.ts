// What the OpenAPI document says about each operation beyond its route schema: the error answers the
// shared hooks and the services give (validation, authentication, permission, lookup, conflicts), a description for
// every answer, examples for the main request bodies, and paths without a trailing slash. It only
// shapes the document: the routes' own response schemas, and so their serialisation, stay as they are.
import type { FastifySchema, RouteOptions } from 'fastify';
import { ZApiError } from '@rampart/contracts';
import type { ZodType } from 'zod';
import { REQUEST_EXAMPLES } from './openapi-examples.js';

type TResponses = Record<string, unknown>;

/** Documented in the route itself where it carries more than the shared error (409 and 422 about a release). */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is malformed or a field is invalid; `field` names it (e.g. `body.expectedRevision`)',
  401: 'Not logged in: send the session cookie or an API token',
  403: "The caller's role or the token's scopes do not allow this operation",
  404: 'Nothing with this id (or it is not visible to the caller)',
  409: 'Conflicts with what exists: a duplicate, or a state that refuses the change',
  413: 'The body is larger than the server accepts',
  415: 'The body is of a media type the server does not read; send application/json',
  422: 'The action is blocked; `blockers` say by what',
  429: 'Too many attempts; retry after the seconds in Retry-After',
  503: 'Busy or unavailable; retry after the seconds in Retry-After',
};

const CONFLICT_DESCRIPTIONS: Record<number, string> = {
  409: 'A stale `expectedRevision` or an illegal transition; carries the release as it is now',
  422: 'Blocked by gates, sign-offs, the checklist or the bake time; carries the blockers and the release',
};

const isNode = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Answers a service gives beyond what the route's shape implies: a duplicate or a state that refuses the change (409), an id inside the body that names nothing (404). */
const SERVICE_ERRORS: Record<string, number[]> = {
  createUser: [409],
  updateUser: [409],
  createApiToken: [404],
  createPlaybook: [409],
  updatePlaybook: [409],
  pushMetrics: [409],
  setMetricsSource: [409],
};

interface TRouteConfig {
  permission?: string;
  public?: boolean;
}

export interface TSchemaWithDocs extends Omit<FastifySchema, 'response'> {
  summary?: string;
  operationId?: string;
  response?: TResponses;
}

/** The 4xx answers this route can give: every one can refuse a malformed request, then authentication, permission, lookup and the service's own. */
function errorStatuses(schema: TSchemaWithDocs, config: TRouteConfig): number[] {
  const statuses = [400];
  if (!config.public) statuses.push(401);
  if (config.permission && config.permission !== 'self') statuses.push(403);
  if (schema.params) statuses.push(404);
  statuses.push(...(SERVICE_ERRORS[schema.operationId ?? ''] ?? []));
  if (schema.body) statuses.push(413, 415);
  return statuses;
}

/** The route schema with its error answers added, each the one shared ApiError component. */
export function withErrorResponses(schema: TSchemaWithDocs, route: RouteOptions): TSchemaWithDocs {
  const config = (route.config ?? {}) as TRouteConfig;
  const response: TResponses = { ...schema.response };
  for (const status of errorStatuses(schema, config)) response[status] ??= ZApiError;
  return { ...schema, response };
}

function describeResponse(status: string, schema: TSchemaWithDocs, declared: unknown): string {
  const code = Number(status);
  if (code >= 200 && code < 300) return code === 204 ? 'Done; the answer has no body' : (schema.summary ?? 'Success');
  const custom = declared !== ZApiError && CONFLICT_DESCRIPTIONS[code];
  if (custom) return custom;
  if (code === 503 && schema.operationId === 'getHealth') return 'A check failed: the body says which';
  return ERROR_DESCRIPTIONS[code] ?? 'An error; the body says what went wrong';
}

/** After the zod schemas became JSON schemas: a description for every answer, and the example of the request body. */
export function withDescriptions(json: TSchemaWithDocs, source: TSchemaWithDocs): TSchemaWithDocs {
  const response: TResponses = {};
  for (const [status, answer] of Object.entries(json.response ?? {})) {
    const declared = (source.response ?? {})[status] as ZodType | undefined;
    // @fastify/swagger reads `x-response-description` and strips it; beside a `$ref` only `description` survives.
    const key = isNode(answer) && '$ref' in answer ? 'description' : 'x-response-description';
    response[status] = { ...(answer as object), [key]: describeResponse(status, source, declared) };
  }
  const example = source.operationId ? REQUEST_EXAMPLES[source.operationId] : undefined;
  const body = example !== undefined && json.body ? { ...(json.body as object), examples: [example] } : json.body;
  return { ...json, response, ...(body === undefined ? {} : { body }) };
}

/** `/api/releases/` is a prefix root that also answers without the slash; the document names it without. */
export function withoutTrailingSlash(url: string): string {
  return url.length > 1 ? url.replace(/\/+$/, '') : url;
}
