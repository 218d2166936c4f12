import { z } from 'zod';
import { ZBlocker, ZIsoDate, ZSeenRevision, ZUserRef, ZUuid, boundedText } from './common.js';
import {
  ZApprovalDecision,
  ZApprovalRole,
  ZChecklistPhase,
  ZChecklistStatus,
  ZReleaseAction,
  ZReleaseState,
} from './enums.js';
import { ZReleaseEventType } from './events.js';
import { ZApprovalRequirement, ZChecklistOwner, ZSlug } from './playbook.js';

const ZPercent = z.number().min(0).max(100);

export const ZCreateReleaseBody = z.object({
  service: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'must start with a letter or digit and hold only letters, digits, ".", "_", "/" or "-"'),
  version: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\s]+$/, 'must not contain spaces'),
  playbookId: ZUuid,
  notes: boundedText(10_000).optional(),
});
export type TCreateReleaseBody = z.infer<typeof ZCreateReleaseBody>;

/**
 * `state` takes one state or several separated by commas. Page with `cursor` (the previous page's
 * `nextCursor`); `offset` still works for old clients but costs more the deeper it goes.
 */
export const ZListReleasesQuery = z.object({
  state: z
    .string()
    .max(200)
    .transform((value) => value.split(',').map((s) => s.trim()))
    .pipe(z.array(ZReleaseState).min(1))
    .optional(),
  service: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a nextCursor from a previous page')
    .optional(),
});

export const ZReleaseStage = z.object({
  position: z.number().int(),
  key: z.string(),
  name: z.string(),
  trafficPercent: ZPercent,
  minBakeSeconds: z.number().int(),
  maxBakeSeconds: z.number().int().nullable(),
  signoff: z.array(ZApprovalRequirement),
  status: z.enum(['pending', 'current', 'done']),
  enteredAt: ZIsoDate.nullable(),
  exitedAt: ZIsoDate.nullable(),
  bakeEndsAt: ZIsoDate.nullable(),
}).meta({ id: 'ReleaseStage' });
export type TReleaseStage = z.infer<typeof ZReleaseStage>;

export const ZChecklistItem = z.object({
  id: ZUuid,
  key: z.string(),
  section: z.string(),
  text: z.string(),
  phase: ZChecklistPhase,
  stageKey: z.string().nullable(),
  required: z.boolean(),
  ownerRole: ZChecklistOwner,
  status: ZChecklistStatus,
  note: z.string().nullable(),
  updatedBy: ZUserRef.nullable(),
  updatedAt: ZIsoDate.nullable(),
}).meta({ id: 'ChecklistItem' });
export type TChecklistItem = z.infer<typeof ZChecklistItem>;

export const ZApproval = z.object({
  id: ZUuid,
  role: ZApprovalRole,
  stageKey: z.string().nullable(),
  decision: ZApprovalDecision,
  comment: z.string(),
  user: ZUserRef,
  createdAt: ZIsoDate,
}).meta({ id: 'Approval' });
export type TApproval = z.infer<typeof ZApproval>;

export const ZApprovalRequirementStatus = z.object({
  role: ZApprovalRole,
  stageKey: z.string().nullable(),
  count: z.number().int(),
  approvedBy: z.array(ZUserRef),
  rejectedBy: z.array(ZUserRef),
  satisfied: z.boolean(),
  /**
   * Why an unsatisfied sign-off can no longer be given: its stage was entered by force (before sign-offs were
   * binding), or the release finished first. Null while it can still be given, and once satisfied.
   */
  closed: z.enum(['forced_past', 'release_finished']).nullable(),
});

export const ZActionAvailability = z.object({
  action: ZReleaseAction,
  /** Legal in the current state (and stage position). */
  legal: z.boolean(),
  /** Legal and unblocked: the button can be pressed without force. */
  allowed: z.boolean(),
  forceable: z.boolean(),
  reason: z.string().nullable().describe('Why it is not legal, when it is not'),
  blockers: z.array(ZBlocker),
}).meta({ id: 'ActionAvailability' });
export type TActionAvailability = z.infer<typeof ZActionAvailability>;

/** The rollback procedure (the playbook's on_rollback items): null when it has none or no rollback started. */
export const ZRollbackProcedure = z.object({
  /** "Rolled back, procedure open": required items are still open. */
  open: z.boolean(),
  openRequired: z.number().int(),
}).meta({ id: 'RollbackProcedure' });
export type TRollbackProcedure = z.infer<typeof ZRollbackProcedure>;

export const ZReleaseSummary = z.object({
  id: ZUuid,
  service: z.string(),
  version: z.string(),
  owner: ZUserRef,
  playbook: z.object({ id: ZUuid.nullable(), key: z.string(), name: z.string(), version: z.number().int() }),
  state: ZReleaseState,
  currentStage: z
    .object({ key: z.string(), name: z.string(), position: z.number().int(), trafficPercent: ZPercent })
    .nullable(),
  stageCount: z.number().int(),
  desiredPercent: ZPercent,
  acknowledgedPercent: ZPercent,
  revision: z.number().int(),
  createdAt: ZIsoDate,
  updatedAt: ZIsoDate,
  startedAt: ZIsoDate.nullable(),
  finishedAt: ZIsoDate.nullable(),
  /** Present on a release's own answers; lists may leave it out. */
  /** Null unless a rollback started and the playbook has a rollback procedure. */
  rollbackProcedure: ZRollbackProcedure.nullable(),
}).meta({ id: 'ReleaseSummary' });
export type TReleaseSummary = z.infer<typeof ZReleaseSummary>;

export const ZRelease = ZReleaseSummary.extend({
  notes: z.string(),
  currentStageIndex: z.number().int(),
  stages: z.array(ZReleaseStage),
  acknowledgedAt: ZIsoDate.nullable(),
  checklist: z.array(ZChecklistItem),
  approvals: z.object({
    required: z.array(ZApprovalRequirementStatus),
    decisions: z.array(ZApproval),
  }),
  actions: z.array(ZActionAvailability),
  rollbackProcedure: ZRollbackProcedure.nullable(),
  /** The rolled-back attempt this one reopens, and the attempt that reopened this one. */
  previousAttemptId: ZUuid.nullable(),
  nextAttemptId: ZUuid.nullable(),
}).meta({ id: 'Release' });
export type TRelease = z.infer<typeof ZRelease>;

export const ZReleaseList = z.object({
  releases: z.array(ZReleaseSummary),
  /** How many releases match the filter, on every page. */
  total: z.number().int(),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last one'),
});
export type TReleaseList = z.infer<typeof ZReleaseList>;

export const ZActionParams = z.object({ id: ZUuid, action: ZReleaseAction });
export const ZActionBody = z.object({
  expectedRevision: ZSeenRevision,
  reason: boundedText(2000).optional(),
  force: z.boolean().optional(),
});
export type TActionBody = z.infer<typeof ZActionBody>;

/** 409 and 422 answers carry the release as it is now, so a client can show what changed. */
export const ZReleaseConflict = z.object({
  statusCode: z.number().int(),
  error: z.enum(['stale_revision', 'illegal_transition', 'blocked', 'conflict']),
  message: z.string(),
  state: ZReleaseState.optional(),
  action: ZReleaseAction.optional(),
  blockers: z.array(ZBlocker).optional(),
  release: ZRelease,
}).meta({ id: 'ReleaseConflict' });

export const ZChecklistParams = z.object({ id: ZUuid, itemId: ZUuid });
export const ZChecklistPatchBody = z.object({
  status: ZChecklistStatus,
  note: boundedText(2000).optional(),
  expectedRevision: ZSeenRevision.optional(),
});

export const ZApprovalBody = z.object({
  role: ZApprovalRole,
  decision: ZApprovalDecision,
  comment: boundedText(2000).optional(),
  /** The stage whose entry the sign-off is for; omitted: the sign-off before start. */
  stage: ZSlug.optional(),
  expectedRevision: ZSeenRevision.optional(),
});

export const ZTraffic = z.object({
  releaseId: ZUuid,
  state: ZReleaseState,
  stage: z.string().nullable(),
  desiredPercent: ZPercent,
  acknowledgedPercent: ZPercent,
  acknowledgedAt: ZIsoDate.nullable(),
  revision: z.number().int(),
}).meta({ id: 'Traffic' });
export type TTraffic = z.infer<typeof ZTraffic>;

export const ZTrafficAckBody = z.object({ percent: ZPercent });

export const ZReleaseEvent = z.object({
  id: z.string().describe('Grows with time; page with `before`'),
  type: ZReleaseEventType,
  actor: z.object({ id: ZUuid.nullable(), name: z.string() }),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  revision: z.number().int(),
  createdAt: ZIsoDate,
}).meta({ id: 'ReleaseEvent' });
export type TReleaseEvent = z.infer<typeof ZReleaseEvent>;

export const ZEventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z
    .string()
    .regex(/^\d{1,18}$/, 'must be an event id')
    .optional(),
});

export const ZEventPage = z.object({
  events: z.array(ZReleaseEvent),
  nextBefore: z.string().nullable().describe('Pass as `before` for the next (older) page'),
});
