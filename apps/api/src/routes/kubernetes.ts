// Hooks for Kubernetes progressive delivery: an Argo Rollouts Web metric provider and Flagger webhooks. Both
// controllers decide from Rampart's state here; nothing in Kubernetes is changed from Rampart's side.
// - Argo: https://argo-rollouts.readthedocs.io/en/stable/analysis/web/ (GET, headers from the template, `jsonPath`,
//   conditions on `result`; a non-2xx answer is a measurement Error, counted against consecutiveErrorLimit)
// - Flagger: https://docs.flagger.app/usage/webhooks (POST of {name, namespace, phase, checksum, metadata})
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  FLAGGER_METADATA,
  ZApiError,
  ZArgoServiceParams,
  ZArgoVerdict,
  ZFlaggerAnswer,
  ZFlaggerGateParams,
  ZFlaggerPayload,
  ZIdParams,
} from '@rampart/contracts';
import { ServiceError } from '../errors.js';
import { serviceContext } from '../plugins/context.js';
import { argoVerdict } from '../services/kubernetes/argo-verdict.js';
import { releaseIdOfCanary, releaseIdOfServiceOrThrow } from '../services/kubernetes/find-release.js';
import { flaggerGate } from '../services/kubernetes/flagger-gates.js';
import { recordFlaggerEvent } from '../services/kubernetes/record-flagger-event.js';
import { loadStanding } from '../services/kubernetes/standing.js';

const ARGO_DESCRIPTION =
  'For an AnalysisTemplate `web` metric with `jsonPath: "{$}"`: `successCondition: result.passed == true`, ' +
  '`failureCondition: result.failed == true`. Neither holds while Rampart holds the release (paused, not started, a gate ' +
  'warning, inconclusive or failing at pause severity): Argo counts that Inconclusive and pauses the rollout. A 404 is a measurement Error in Argo.';

const FLAGGER_AUTH =
  'Authenticate with `Authorization: Bearer` or, since Flagger sends no headers, the webhook\'s metadata `rampartToken`. ' +
  'The release is metadata `rampartRelease` (an id), else the release in progress of the service `<name>.<namespace>`, else of `<name>`.';

/**
 * The token in a Flagger payload (Flagger sends no headers), read by the auth plugin once the body is parsed and
 * before validation, so a caller with no credential learns nothing about the body. Anything but a string is none.
 */
function flaggerBodyToken(body: unknown): string | null {
  const metadata = (body as { metadata?: unknown } | null)?.metadata;
  const token = metadata && typeof metadata === 'object' ? (metadata as Record<string, unknown>)[FLAGGER_METADATA.token] : undefined;
  return typeof token === 'string' && token !== '' ? token : null;
}

const flaggerErrors = { 401: ZApiError, 403: ZApiError, 404: ZApiError };

export const kubernetesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/argo/releases/:id/verdict',
    {
      config: { permission: 'release:read' },
      schema: {
        tags: ['integrations'],
        operationId: 'getArgoVerdict',
        summary: "A release's verdict for an Argo Rollouts web metric",
        description: ARGO_DESCRIPTION,
        params: ZIdParams,
        response: { 200: ZArgoVerdict },
      },
    },
    async (request) => argoVerdict(await loadStanding(app, request.params.id)),
  );

  app.get(
    '/argo/services/:service/verdict',
    {
      config: { permission: 'release:read' },
      schema: {
        tags: ['integrations'],
        operationId: 'getArgoServiceVerdict',
        summary: "The verdict of a service's release in progress, for an Argo Rollouts web metric",
        description: `${ARGO_DESCRIPTION} The release is the service's newest running, paused or rolling back one, else its newest not yet started; 404 when it has none.`,
        params: ZArgoServiceParams,
        response: { 200: ZArgoVerdict },
      },
    },
    async (request) => argoVerdict(await loadStanding(app, await releaseIdOfServiceOrThrow(app.db, request.params.service))),
  );

  app.post(
    '/flagger/event',
    {
      config: { permission: 'traffic:ack', bodyToken: flaggerBodyToken },
      schema: {
        tags: ['integrations'],
        operationId: 'recordFlaggerEvent',
        summary: "Record a Flagger event (an `event` webhook) on the release's log",
        description: `${FLAGGER_AUTH} Needs traffic:ack. Answers 202; an event whose message repeats the release's latest Flagger event is not written again (\`recorded: false\`).`,
        body: ZFlaggerPayload,
        response: { 202: ZFlaggerAnswer, ...flaggerErrors },
      },
    },
    async (request, reply) => {
      const releaseId = await releaseIdOfCanary(app.db, request.body);
      const { recorded, state } = await recordFlaggerEvent(serviceContext(request), releaseId, request.body);
      const message = recorded ? 'Recorded on the release' : 'Same as the latest Flagger event; not recorded again';
      return reply.code(202).send({ hook: 'event' as const, releaseId, state, recorded, message });
    },
  );

  app.post(
    '/flagger/:hook',
    {
      config: { permission: 'release:read', bodyToken: flaggerBodyToken },
      schema: {
        tags: ['integrations'],
        operationId: 'answerFlaggerGate',
        summary: 'Answer a Flagger gate: confirm-rollout, confirm-traffic-increase, confirm-promotion or rollback',
        description:
          `${FLAGGER_AUTH} Needs releases:read. Flagger goes on for 200-202: the gates answer 200 to let the canary go on and 409 with the reason to hold it; ` +
          '`rollback` answers 200 when Rampart wants the canary rolled back and 409 (no rollback) otherwise.',
        params: ZFlaggerGateParams,
        body: ZFlaggerPayload,
        response: { 200: ZFlaggerAnswer, ...flaggerErrors, 409: ZApiError },
      },
    },
    async (request) => {
      const { hook } = request.params;
      const standing = await loadStanding(app, await releaseIdOfCanary(app.db, request.body));
      const answer = flaggerGate(hook, standing);
      if (!answer.open) throw new ServiceError('conflict', answer.message);
      return { hook, releaseId: standing.release.id, state: standing.release.state, message: answer.message };
    },
  );
};
