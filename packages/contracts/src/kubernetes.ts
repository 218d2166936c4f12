// What Kubernetes progressive-delivery controllers send to Rampart and what they get back: the Argo Rollouts
// Web metric provider and Flagger's webhooks. Field names are theirs, checked against their documentation:
// - https://argo-rollouts.readthedocs.io/en/stable/analysis/web/
// - https://argo-rollouts.readthedocs.io/en/stable/features/analysis/ (Successful, Failed, Inconclusive)
// - https://docs.flagger.app/usage/webhooks (the payload and the hook types)
import { z } from 'zod';
import { ZUuid } from './common.js';
import { ZGateSeverity, ZGateVerdict, ZReleaseState } from './enums.js';

/**
 * The answer to an AnalysisTemplate `web` metric. With `jsonPath: "{$}"` the whole object is `result`, so
 * `successCondition: result.passed == true` and `failureCondition: result.failed == true` read naturally.
 * `passed` and `failed` are never both true; when neither is, Argo counts the measurement Inconclusive
 * and pauses the rollout for a person, which is what Rampart does when it holds a release.
 */
export const ZArgoVerdict = z
  .object({
    releaseId: ZUuid,
    service: z.string(),
    version: z.string(),
    state: ZReleaseState,
    stage: z.string().nullable().describe("The current stage's key; null before the release starts"),
    percent: z.number().describe('The canary traffic percent Rampart wants now'),
    verdict: ZGateVerdict.describe("Rampart's verdict on the current stage: fail if any gate fails, else inconclusive if any is, else warn if any warns, else pass"),
    score: z.number().nullable().describe('The weighted share of gates passing (0-100) from the latest analysis; null before one'),
    passed: z.boolean().describe('The release is running (or completed) and every gate of its stage passes'),
    failed: z.boolean().describe('Rampart wants the canary gone: the release is rolling back, rolled back or aborted, or a rollback-severity gate fails'),
    reason: z.string().describe('One sentence: why passed, failed or neither'),
    gates: z.array(z.object({ key: z.string(), severity: ZGateSeverity, verdict: ZGateVerdict })),
  })
  .meta({ id: 'ArgoVerdict' });
export type TArgoVerdict = z.infer<typeof ZArgoVerdict>;

export const ZArgoServiceParams = z.object({
  service: z.string().min(1).max(100).describe('The release\'s service name, URL-encoded ("/" as %2F)'),
});

/** The hook types Rampart answers. Flagger's other types (pre-rollout, rollout, post-rollout) are test runners, not Rampart's business. */
export const FLAGGER_HOOKS = ['confirm-rollout', 'confirm-traffic-increase', 'confirm-promotion', 'rollback', 'event'] as const;
export const ZFlaggerHook = z.enum(FLAGGER_HOOKS);
export type TFlaggerHook = z.infer<typeof ZFlaggerHook>;
/** The hooks that gate the canary (answered from the release's state); `event` has a route of its own, since it writes. */
export const FLAGGER_GATES = ['confirm-rollout', 'confirm-traffic-increase', 'confirm-promotion', 'rollback'] as const;
export const ZFlaggerGate = z.enum(FLAGGER_GATES);
export type TFlaggerGate = z.infer<typeof ZFlaggerGate>;
export const ZFlaggerGateParams = z.object({ hook: ZFlaggerGate });

/** The canary metadata keys Rampart reads; every other key is left alone (Flagger merges the webhook's metadata into event payloads). */
export const FLAGGER_METADATA = {
  /** A release id: names the release exactly. Without it the release is found by service name. */
  release: 'rampartRelease',
  /** An API token, for Flagger sends no headers of its own: the webhook spec has no headers field. */
  token: 'rampartToken',
} as const;

// Kubernetes object names: a DNS subdomain for the Canary, a DNS label for its namespace.
const ZK8sName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name');
const ZK8sNamespace = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace');

/**
 * Flagger's CanaryWebhookPayload, as it POSTs it to every hook type. `checksum` came with Flagger 1.x
 * releases after the first ones and `phase` may be any of its canary phases, so neither is held to a list.
 */
export const ZFlaggerPayload = z
  .object({
    name: ZK8sName,
    namespace: ZK8sNamespace,
    phase: z.string().max(64).optional().describe('Initializing, Initialized, Waiting, Progressing, WaitingPromotion, Promoting, Finalising, Succeeded, Failed, …'),
    checksum: z.string().max(256).optional(),
    metadata: z
      .record(z.string().max(256), z.string().max(20_000))
      .refine((m) => Object.keys(m).length <= 100, 'must have at most 100 keys')
      .optional()
      .describe('The webhook\'s metadata; event payloads add eventMessage, eventType and timestamp'),
  })
  .meta({ id: 'FlaggerPayload' });
export type TFlaggerPayload = z.infer<typeof ZFlaggerPayload>;

/** A 2xx answer: Flagger only reads the status code (200-202 go on), the body is for people reading logs. */
export const ZFlaggerAnswer = z
  .object({
    hook: ZFlaggerHook,
    releaseId: ZUuid,
    state: ZReleaseState,
    message: z.string(),
    /** Event hook only: false when the same message was the release's latest Flagger event already. */
    recorded: z.boolean().optional(),
  })
  .meta({ id: 'FlaggerAnswer' });
export type TFlaggerAnswer = z.infer<typeof ZFlaggerAnswer>;
