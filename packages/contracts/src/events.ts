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
  'incident.reported',
  'incident.updated',
  /** The rollback procedure's required items are all done. */
  'rollback.procedure_done',
  /** A new attempt was opened from this rolled-back release (data.attemptId), or this one from an earlier (data.previousAttemptId). */
  'release.reopened',
  'contact.paged',
  'page.acknowledged',
  'page.escalated',
  /** A message template went out by itself: data.template, data.moment, data.channels. */
  'message.sent',
  /** A deploy tool reported something about the release (a Flagger event webhook): data.source, data.phase, data.message. */
  'integration.event',
] as const;
export const ZReleaseEventType = z.enum(RELEASE_EVENT_TYPES);
export type TReleaseEventType = z.infer<typeof ZReleaseEventType>;
