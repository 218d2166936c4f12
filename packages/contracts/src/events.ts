import { z } from 'zod';

/** Every kind of entry in a release's append-only event log. */
export const RELEASE_EVENT_TYPES = [
  'release.created',
  'release.ready',
  'release.unready',
  'release.started',
  'release.ramped',
  'release.paused',
  'release.resumed',
  'release.rollback_started',
  'release.rolled_back',
  'release.completed',
  'release.aborted',
  'release.needs_attention',
  'checklist.updated',
  'approval.recorded',
  'traffic.acknowledged',
  'gate.verdict_changed',
  'metrics.source_error',
  'webhook.delivered',
  'webhook.failed',
] as const;
export const ZReleaseEventType = z.enum(RELEASE_EVENT_TYPES);
export type TReleaseEventType = z.infer<typeof ZReleaseEventType>;
