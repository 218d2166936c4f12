// Every route of the API, once: its method, URL template, the permission it needs (or public), the
// zod schemas of its input, and a valid request for it built from the fixture's ids. routes.test.ts
// fails when the app registers a route this table does not list, or the table lists one it lacks.
import type { ZodObject, ZodType } from 'zod';
import {
  ZAlertBody,
  ZArgoServiceParams,
  ZFlaggerGateParams,
  ZFlaggerPayload,
  ZFreezeBody,
  ZReopenBody,
  ZContactsBody,
  ZPageParams,
  ZIncidentParams,
  ZReportIncidentBody,
  ZUpdateIncidentBody,
  ZActionBody,
  ZActionParams,
  ZApprovalBody,
  ZChecklistParams,
  ZChecklistPatchBody,
  ZCreatePlaybookBody,
  ZCreateReleaseBody,
  ZCreateTokenBody,
  ZCreateUserBody,
  ZEventsQuery,
  ZIdParams,
  ZListReleasesQuery,
  ZLoginBody,
  ZMetricBatch,
  ZSeriesQuery,
  ZCreateWebhookBody,
  ZUpdateWebhookBody,
  ZWebhookDeliveriesQuery,
  ZWebhookDeliveryParams,
  ZPrometheusSource,
  ZTrafficAckBody,
  ZUpdatePlaybookBody,
  ZUpdateUserBody,
} from '@rampart/contracts';
import type { TPermission } from '@rampart/domain';
import { ZSectionDoneBody } from '../../src/routes/checklist-sections.js';
import type { TFixture } from './support.js';
import { MATRIX_PLAYBOOK_SPEC } from './support.js';

export type TMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TRequestParts {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface TRouteCase {
  method: TMethod;
  /** Fastify's template, e.g. /api/releases/:id/actions/:action. */
  url: string;
  access: TPermission | 'public';
  schemas: { params?: ZodObject; querystring?: ZodObject; body?: ZodType };
  /** A valid request: every field the schema knows is filled, so the bad-input test can spoil each. */
  request(f: TFixture): TRequestParts;
  /** Ends the caller's session: the auth matrix walks it last. */
  endsSession?: true;
}

const none = () => ({});
const id = (value: string) => ({ id: value });

export const ROUTES: readonly TRouteCase[] = [
  // System and status
  { method: 'GET', url: '/health', access: 'public', schemas: {}, request: none },
  // Admins; a Prometheus scrape with RAMPART_METRICS_TOKEN is covered by test/security/metrics-endpoint.test.ts.
  { method: 'GET', url: '/metrics', access: 'admin', schemas: {}, request: none },
  { method: 'GET', url: '/api/openapi.json', access: 'public', schemas: {}, request: none },
  { method: 'GET', url: '/api/status', access: 'public', schemas: {}, request: none },
  { method: 'GET', url: '/api/clock', access: 'public', schemas: {}, request: none },

  // Auth
  {
    method: 'POST',
    url: '/api/auth/login',
    access: 'public',
    schemas: { body: ZLoginBody },
    request: () => ({ body: { email: 'support@rampart.test', password: 'rampart' } }),
  },
  { method: 'POST', url: '/api/auth/logout', access: 'public', schemas: {}, request: none, endsSession: true },
  { method: 'GET', url: '/api/auth/me', access: 'self', schemas: {}, request: none },

  // Users and tokens
  { method: 'GET', url: '/api/users', access: 'admin', schemas: {}, request: none },
  {
    method: 'POST',
    url: '/api/users',
    access: 'admin',
    schemas: { body: ZCreateUserBody },
    request: (f) => ({
      body: { email: `user-${f.unique()}@rampart.test`, name: 'New', password: 'longenough', role: 'approver', approvalRoles: ['product'] },
    }),
  },
  {
    method: 'PATCH',
    url: '/api/users/:id',
    access: 'admin',
    schemas: { params: ZIdParams, body: ZUpdateUserBody },
    request: (f) => ({
      params: id(f.spareUserId),
      body: { name: 'Spare', password: 'longenough', role: 'viewer', approvalRoles: [], disabled: false },
    }),
  },
  { method: 'GET', url: '/api/tokens', access: 'token:manage', schemas: {}, request: none },
  {
    method: 'POST',
    url: '/api/tokens',
    access: 'token:manage',
    schemas: { body: ZCreateTokenBody },
    request: () => ({ body: { name: 'pipeline', scopes: ['releases:read'], expiresInDays: 30 } }),
  },
  {
    method: 'DELETE',
    url: '/api/tokens/:id',
    access: 'token:manage',
    schemas: { params: ZIdParams },
    request: (f) => ({ params: id(f.spareTokenId) }),
  },

  // Playbooks
  { method: 'GET', url: '/api/playbooks', access: 'release:read', schemas: {}, request: none },
  {
    method: 'GET',
    url: '/api/playbooks/:id',
    access: 'release:read',
    schemas: { params: ZIdParams },
    request: (f) => ({ params: id(f.playbookId) }),
  },
  {
    method: 'POST',
    url: '/api/playbooks',
    access: 'playbook:write',
    schemas: { body: ZCreatePlaybookBody },
    request: (f) => ({ body: { key: `pb-${f.unique()}`, name: 'New flow', description: 'A flow', spec: MATRIX_PLAYBOOK_SPEC } }),
  },
  {
    method: 'PUT',
    url: '/api/playbooks/:id',
    access: 'playbook:write',
    schemas: { params: ZIdParams, body: ZUpdatePlaybookBody },
    request: (f) => ({
      params: id(f.playbookId),
      body: { expectedVersion: 1, name: 'Matrix flow', description: 'Edited', spec: MATRIX_PLAYBOOK_SPEC },
    }),
  },

  // Releases
  {
    method: 'POST',
    url: '/api/releases',
    access: 'release:create',
    schemas: { body: ZCreateReleaseBody },
    request: (f) => ({ body: { service: 'checkout', version: `1.2.${f.unique()}`, playbookId: f.playbookId, notes: 'Notes' } }),
  },
  {
    method: 'GET',
    url: '/api/releases',
    access: 'release:read',
    schemas: { querystring: ZListReleasesQuery },
    request: () => ({ query: { state: 'draft,ready', service: 'checkout', limit: '10', offset: '0' } }),
  },
  {
    method: 'GET',
    url: '/api/releases/:id',
    access: 'release:read',
    schemas: { params: ZIdParams },
    request: (f) => ({ params: id(f.releaseId) }),
  },
  {
    method: 'POST',
    url: '/api/releases/:id/actions/:action',
    access: 'release:act',
    schemas: { params: ZActionParams, body: ZActionBody },
    // Pausing a draft is refused (409), so the matrix never moves the release.
    request: (f) => ({ params: { id: f.releaseId, action: 'pause' }, body: { expectedRevision: f.revision, reason: 'Why', force: false } }),
  },
  {
    method: 'PATCH',
    url: '/api/releases/:id/checklist/:itemId',
    access: 'checklist:update',
    schemas: { params: ZChecklistParams, body: ZChecklistPatchBody },
    request: (f) => ({
      params: { id: f.releaseId, itemId: f.productItemId },
      body: { status: 'open', note: 'Looked at it', expectedRevision: f.revision },
    }),
  },
  {
    method: 'POST',
    url: '/api/releases/:id/approvals',
    access: 'approval:sign',
    schemas: { params: ZIdParams, body: ZApprovalBody },
    request: (f) => ({
      params: id(f.releaseId),
      // A sign-off before start (no `stage`): the product approver and the admin may both give it.
      body: { role: 'product', decision: 'approve', comment: 'Fine', expectedRevision: f.revision },
    }),
  },
  {
    method: 'GET',
    url: '/api/releases/:id/traffic',
    access: 'release:read',
    schemas: { params: ZIdParams },
    request: (f) => ({ params: id(f.releaseId) }),
  },
  {
    method: 'POST',
    url: '/api/releases/:id/traffic/ack',
    access: 'traffic:ack',
    schemas: { params: ZIdParams, body: ZTrafficAckBody },
    request: (f) => ({ params: id(f.releaseId), body: { percent: 0 } }),
  },
  {
    method: 'GET',
    url: '/api/releases/:id/events',
    access: 'release:read',
    schemas: { params: ZIdParams, querystring: ZEventsQuery },
    request: (f) => ({ params: id(f.releaseId), query: { limit: '10', before: '999999999' } }),
  },
  {
    method: 'GET',
    url: '/api/releases/:id/messages',
    access: 'release:read',
    schemas: { params: ZIdParams },
    request: (f) => ({ params: id(f.releaseId) }),
  },
  {
    method: 'PUT',
    url: '/api/releases/:id/metrics-source',
    access: 'release:act',
    schemas: { params: ZIdParams, body: ZPrometheusSource },
    request: (f) => ({
      params: id(f.releaseId),
      body: {
        url: 'http://127.0.0.1:9/',
        stepSeconds: 15,
        labels: { namespace: 'shop' },
        queries: [{ metric: 'requests', cohort: 'canary', query: 'sum(increase(http_requests_total{namespace="{{namespace}}",cohort="{{cohort}}"}[{{step}}]))' }],
      },
    }),
  },
  {
    method: 'GET',
    url: '/api/releases/:id/metrics-source',
    access: 'release:read',
    schemas: { params: ZIdParams },
    request: (f) => ({ params: id(f.releaseId) }),
  },
  // Live updates: a plain GET (no upgrade) still passes authentication first.
  { method: 'GET', url: '/api/ws', access: 'release:read', schemas: {}, request: none },

  // Metrics and judgement
  {
    method: 'POST',
    url: '/api/releases/:id/metrics',
    access: 'metrics:write',
    schemas: { params: ZIdParams, body: ZMetricBatch },
    request: (f) => ({
      params: id(f.releaseId),
      body: { points: [{ ts: Date.parse('2026-03-02T09:59:00Z'), cohort: 'canary', metric: 'requests', value: 10 }] },
    }),
  },
  {
    method: 'GET',
    url: '/api/releases/:id/metrics',
    access: 'release:read',
    schemas: { params: ZIdParams, querystring: ZSeriesQuery },
    request: (f) => ({ params: id(f.releaseId), query: { metric: 'error_rate', from: '2026-03-02T09:00:00Z', to: '1772445600000', step: '60' } }),
  },
  {
    method: 'GET',
    url: '/api/releases/:id/analysis',
    access: 'release:read',
    schemas: { params: ZIdParams },
    request: (f) => ({ params: id(f.releaseId) }),
  },

  // Webhooks (admins)
  { method: 'GET', url: '/api/webhooks', access: 'admin', schemas: {}, request: none },
  {
    method: 'POST',
    url: '/api/webhooks',
    access: 'admin',
    schemas: { body: ZCreateWebhookBody },
    request: (f) => ({
      body: { url: `http://127.0.0.1:9/${f.unique()}`, secret: 'another-secret-0123456789', events: ['release.started'], format: 'slack', enabled: false },
    }),
  },
  { method: 'GET', url: '/api/webhooks/:id', access: 'admin', schemas: { params: ZIdParams }, request: (f) => ({ params: id(f.webhookId) }) },
  {
    method: 'PATCH',
    url: '/api/webhooks/:id',
    access: 'admin',
    schemas: { params: ZIdParams, body: ZUpdateWebhookBody },
    request: (f) => ({
      params: id(f.webhookId),
      body: { url: 'http://127.0.0.1:9/hook', secret: 'matrix-secret-0123456789', events: ['*'], format: 'json', enabled: true },
    }),
  },
  { method: 'DELETE', url: '/api/webhooks/:id', access: 'admin', schemas: { params: ZIdParams }, request: (f) => ({ params: id(f.spareWebhookId) }) },
  {
    method: 'GET',
    url: '/api/webhooks/:id/deliveries',
    access: 'admin',
    schemas: { params: ZIdParams, querystring: ZWebhookDeliveriesQuery },
    request: (f) => ({ params: id(f.webhookId), query: { status: 'pending', limit: '10', offset: '0' } }),
  },
  {
    method: 'POST',
    url: '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    access: 'admin',
    schemas: { params: ZWebhookDeliveryParams },
    request: (f) => ({ params: { id: f.webhookId, deliveryId: f.deliveryId } }),
  },
  {
    method: 'POST',
    url: '/api/releases/:id/incidents',
    access: 'incident:report',
    schemas: { params: ZIdParams, body: ZReportIncidentBody },
    request: (f) => ({
      params: id(f.releaseId),
      body: { kind: 'incident', severity: 'P3', title: 'Matrix incident', detail: 'Private detail', publicNote: 'Being looked at', link: 'https://status.example.com/1', startedAt: '2026-03-02T09:00:00Z', handler: 'Kim' },
    }),
  },
  { method: 'GET', url: '/api/releases/:id/incidents', access: 'release:read', schemas: { params: ZIdParams }, request: (f) => ({ params: id(f.releaseId) }) },
  {
    method: 'PATCH',
    url: '/api/releases/:id/incidents/:incidentId',
    access: 'incident:report',
    schemas: { params: ZIncidentParams, body: ZUpdateIncidentBody },
    request: (f) => ({ params: { id: f.releaseId, incidentId: '00000000-0000-4000-8000-000000000000' }, body: { status: 'mitigated', handler: 'Kim', publicNote: 'Fix deployed', severity: 'P2' } }),
  },
  { method: 'GET', url: '/api/releases/:id/contacts', access: 'release:read', schemas: { params: ZIdParams }, request: (f) => ({ params: id(f.releaseId) }) },
  {
    method: 'PUT',
    url: '/api/releases/:id/contacts',
    access: 'release:act',
    schemas: { params: ZIdParams, body: ZContactsBody },
    request: (f) => ({ params: id(f.releaseId), body: { contacts: [{ role: 'On call', name: 'Ann', email: 'ann@example.com', phone: '+1 555 0100', onCall: true }], expectedRevision: f.revision } }),
  },
  {
    method: 'POST',
    url: '/api/releases/:id/pages/:pageId/acknowledge',
    access: 'incident:report',
    schemas: { params: ZPageParams },
    request: (f) => ({ params: { id: f.releaseId, pageId: '00000000-0000-4000-8000-000000000000' } }),
  },
  { method: 'GET', url: '/api/integrations/argo/releases/:id/verdict', access: 'release:read', schemas: { params: ZIdParams }, request: (f) => ({ params: id(f.releaseId) }) },
  { method: 'GET', url: '/api/integrations/argo/services/:service/verdict', access: 'release:read', schemas: { params: ZArgoServiceParams }, request: () => ({ params: { service: 'checkout' } }) },
  {
    method: 'POST',
    url: '/api/integrations/flagger/event',
    access: 'traffic:ack',
    schemas: { body: ZFlaggerPayload },
    request: (f) => ({
      body: { name: 'checkout', namespace: 'shop', phase: 'Progressing', checksum: '85d557f47b', metadata: { rampartRelease: f.releaseId, eventMessage: `Advance checkout.shop canary weight ${f.unique()}`, eventType: 'Normal', timestamp: '1764430000000' } },
    }),
  },
  {
    method: 'POST',
    url: '/api/integrations/flagger/:hook',
    access: 'release:read',
    schemas: { params: ZFlaggerGateParams, body: ZFlaggerPayload },
    request: (f) => ({ params: { hook: 'confirm-rollout' }, body: { name: 'checkout', namespace: 'shop', phase: 'Progressing', checksum: '85d557f47b', metadata: { rampartRelease: f.releaseId } } }),
  },
  {
    method: 'POST',
    url: '/api/releases/:id/reopen',
    access: 'release:create',
    schemas: { params: ZIdParams, body: ZReopenBody },
    request: (f) => ({ params: id(f.releaseId), body: { trafficPercent: 1, version: '1.2.4', reason: 'Fixed' } }),
  },
  { method: 'GET', url: '/api/freeze', access: 'release:read', schemas: {}, request: none },
  // A freeze blocks every start and ramp: the next row ends it at once.
  { method: 'POST', url: '/api/admin/freeze', access: 'admin', schemas: { body: ZFreezeBody }, request: () => ({ body: { reason: 'Matrix freeze' } }) },
  { method: 'POST', url: '/api/admin/freeze/end', access: 'admin', schemas: {}, request: none },
  {
    method: 'POST',
    url: '/api/releases/:id/checklist/sections/done',
    access: 'checklist:update',
    schemas: { params: ZIdParams, body: ZSectionDoneBody },
    // The fixture's product-owned section: the first allowed caller ticks it, later callers get 200 unchanged.
    request: (f) => ({ params: id(f.releaseId), body: { section: 'Product' } }),
  },
  {
    method: 'POST',
    url: '/api/incidents/alerts',
    access: 'incident:report',
    schemas: { body: ZAlertBody },
    request: (f) => ({
      body: { status: 'firing', releaseId: f.releaseId, service: 'checkout', severity: 'P2', summary: 'Matrix alert', description: 'Details', link: 'https://grafana.example.com/d/1', fingerprint: `matrix-${f.unique()}`, startsAt: '2026-03-02T09:00:00Z', kind: 'incident' },
    }),
  },
];

export const routeName = (route: Pick<TRouteCase, 'method' | 'url'>) => `${route.method} ${route.url}`;

export function routeOf(method: TMethod, url: string): TRouteCase {
  const route = ROUTES.find((r) => r.method === method && r.url === url);
  if (!route) throw new Error(`no route ${method} ${url} in the table`);
  return route;
}
