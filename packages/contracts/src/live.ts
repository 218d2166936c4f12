// The live channel, GET /api/ws: what a dashboard sends and what the server pushes. Every frame is
// one JSON object with a `type`. The server validates each client frame with ZLiveClientMessage and
// answers a bad one with an `error` frame; the SPA may parse server frames with ZLiveServerMessage.
import { z } from 'zod';
import { ZAnalysis } from './analysis.js';
import { ZUuid } from './common.js';
import { ZCohort } from './enums.js';
import { ZRelease, ZReleaseEvent, ZReleaseSummary } from './release.js';

/** Release ids in one subscribe or unsubscribe frame. */
export const MAX_LIVE_RELEASES_PER_MESSAGE = 50;
/** Releases one socket may follow at once (besides the `releases` topic). */
export const MAX_LIVE_RELEASES_PER_SOCKET = 200;

export const LIVE_TOPICS = ['releases'] as const;
export const ZLiveTopic = z.enum(LIVE_TOPICS);

const ZReleaseIds = z.array(ZUuid).min(1).max(MAX_LIVE_RELEASES_PER_MESSAGE);

// ---------------------------------------------------------------- client → server

export const ZLiveSubscribe = z.union([
  z.object({ type: z.literal('subscribe'), releaseIds: ZReleaseIds }).strict(),
  z.object({ type: z.literal('subscribe'), topic: ZLiveTopic }).strict(),
]);
export const ZLiveUnsubscribe = z.union([
  z.object({ type: z.literal('unsubscribe'), releaseIds: ZReleaseIds }).strict(),
  z.object({ type: z.literal('unsubscribe'), topic: ZLiveTopic }).strict(),
]);
export const ZLivePing = z.object({ type: z.literal('ping') }).strict();

export const ZLiveClientMessage = z.union([ZLiveSubscribe, ZLiveUnsubscribe, ZLivePing]);
export type TLiveClientMessage = z.infer<typeof ZLiveClientMessage>;

// ---------------------------------------------------------------- server → client

/** One scalar metric point as stored (histograms are not pushed live; read them over HTTP). */
export const ZLiveMetricPoint = z.object({
  ts: z.number().describe('Epoch milliseconds'),
  cohort: ZCohort,
  metric: z.string(),
  value: z.number(),
});
export type TLiveMetricPoint = z.infer<typeof ZLiveMetricPoint>;

/** The release as GET /api/releases/:id returns it: sent on subscribe and after every change. */
export const ZLiveRelease = z.object({ type: z.literal('release'), release: ZRelease });
/** To `releases` topic subscribers: a release's summary after every change, any release. */
export const ZLiveReleaseSummary = z.object({ type: z.literal('release-summary'), release: ZReleaseSummary });
/**
 * New events of a release, oldest first. `previousId` is the id of the release's event just before
 * the first one here (null if none): a client whose last known event id differs missed some and
 * refetches GET /api/releases/:id/events. Ids are unique; a client drops ids it already has.
 */
export const ZLiveEvents = z.object({
  type: z.literal('events'),
  releaseId: ZUuid,
  previousId: z.string().nullable(),
  events: z.array(ZReleaseEvent).min(1),
});
/** New metric points of a release, batched (about every 75 ms at most), in no particular order. */
export const ZLiveMetrics = z.object({
  type: z.literal('metrics'),
  releaseId: ZUuid,
  points: z.array(ZLiveMetricPoint).min(1),
});
/** The autopilot's latest analysis of a release. */
export const ZLiveAnalysis = z.object({ type: z.literal('analysis'), releaseId: ZUuid, analysis: ZAnalysis });
/** Acknowledges a subscribe, after the current state of each release was sent. */
export const ZLiveSubscribed = z.object({
  type: z.literal('subscribed'),
  releaseIds: z.array(ZUuid),
  topic: ZLiveTopic.optional(),
});
/**
 * Something may have been missed (this socket fell behind and frames were skipped, or the server lost
 * its database notifications for a moment): refetch what you show over HTTP. `releaseIds` null means all.
 */
export const ZLiveResync = z.object({
  type: z.literal('resync'),
  reason: z.enum(['lagging', 'reconnected']),
  releaseIds: z.array(ZUuid).nullable(),
});
export const ZLiveError = z.object({ type: z.literal('error'), message: z.string() });
export const ZLivePong = z.object({ type: z.literal('pong') });

export const ZLiveServerMessage = z.discriminatedUnion('type', [
  ZLiveRelease,
  ZLiveReleaseSummary,
  ZLiveEvents,
  ZLiveMetrics,
  ZLiveAnalysis,
  ZLiveSubscribed,
  ZLiveResync,
  ZLiveError,
  ZLivePong,
]);
export type TLiveServerMessage = z.infer<typeof ZLiveServerMessage>;

/** Close codes the server uses besides the standard ones. */
export const LIVE_CLOSE_CODES = {
  /** The socket stayed too far behind for too long; reconnect and refetch. */
  tooSlow: 4008,
  /** No pong to the heartbeat ping. */
  noHeartbeat: 4009,
} as const;
