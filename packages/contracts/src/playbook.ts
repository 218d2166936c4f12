// The playbook spec: what a team's rollout document says, in a form Rampart can run.
// A release copies its playbook's spec when created, so later edits never reach a running release.
import { z } from 'zod';
import {
  ZApprovalRole,
  ZChecklistPhase,
  ZGateSeverity,
  ZIncidentSeverity,
  ZMessageKind,
} from './enums.js';

export const ZSlug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, "-" or "_"');

const ZSource = z.string().max(2000).optional().describe('The line of the source document this encodes');

export const ZApprovalRequirement = z.object({
  role: ZApprovalRole,
  /** How many different approvers of this role must sign off. */
  count: z.number().int().min(1).max(10).default(1),
});
export type TApprovalRequirement = z.infer<typeof ZApprovalRequirement>;

export const ZStageSpec = z.object({
  key: ZSlug,
  name: z.string().min(1).max(100),
  trafficPercent: z.number().min(0).max(100),
  /** Minimum bake time. Where a document gives a range, this is its minimum. */
  minBakeSeconds: z.number().int().min(0).max(30 * 24 * 3600),
  /** The upper end of a range the document gives. Past it the release needs attention (an event and a webhook). */
  maxBakeSeconds: z.number().int().min(0).max(30 * 24 * 3600).optional(),
  /**
   * Seconds after entering the stage before any gate judges it (Argo Rollouts' `initialDelay`): a canary
   * that has just received traffic warms caches and JIT. Omitted means the engine's default (120 s).
   */
  initialDelaySeconds: z.number().int().min(0).max(24 * 3600).optional(),
  /** Sign-offs needed to ramp into this stage. */
  signoff: z.array(ZApprovalRequirement).max(8).default([]),
  source: ZSource,
}).meta({ id: 'StageSpec' });
export type TStageSpec = z.infer<typeof ZStageSpec>;

const gateCommon = {
  key: ZSlug,
  name: z.string().min(1).max(200),
  severity: ZGateSeverity,
  /** Stage keys this gate judges; omitted means every stage. */
  stages: z.array(ZSlug).max(32).optional(),
  /** The breach must hold this long before the gate fails (a single spike never trips it). */
  sustainSeconds: z.number().int().min(0).max(24 * 3600).default(0),
  /** Fewer canary requests than this in the window makes the verdict inconclusive, never a pass. */
  minRequests: z.number().int().min(0).max(1e9).optional(),
  /** Overrides the stage's initial delay for this gate. */
  initialDelaySeconds: z.number().int().min(0).max(24 * 3600).optional(),
  source: ZSource,
};

const ZMetricName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case');

/** Which direction of a metric is bad: errors and latency go bad upwards, success rates downwards. */
const ZWorseWhen = z.enum(['higher', 'lower']).default('higher');

export const ZThresholdGate = z.object({
  ...gateCommon,
  kind: z.literal('threshold'),
  metric: ZMetricName,
  comparator: z.enum(['above', 'below']),
  value: z.number(),
});

export const ZBaselineDeltaGate = z
  .object({
    ...gateCommon,
    kind: z.literal('baseline_delta'),
    metric: ZMetricName,
    worseWhen: ZWorseWhen,
    /** In the metric's unit (a fraction for rates: 0.005 is half a percentage point). */
    maxAbsoluteChange: z.number().min(0).optional(),
    /** A fraction of the baseline: 0.2 is 20% worse. */
    maxRelativeChange: z.number().min(0).optional(),
  })
  .refine((g) => g.maxAbsoluteChange !== undefined || g.maxRelativeChange !== undefined, {
    message: 'give maxAbsoluteChange, maxRelativeChange or both (the larger allowance wins)',
    path: ['maxAbsoluteChange'],
  });

export const ZBaselineRatioGate = z.object({
  ...gateCommon,
  kind: z.literal('baseline_ratio'),
  metric: ZMetricName,
  worseWhen: ZWorseWhen,
  /** Fails when the canary is worse than maxRatio times the baseline (seed 002: twice the baseline). */
  maxRatio: z.number().positive(),
});

export const ZConsecutiveFailuresGate = z
  .object({
    ...gateCommon,
    kind: z.literal('consecutive_failures'),
    metric: ZMetricName.default('health_ok'),
    /** Fails after this many failed checks in a row. */
    failures: z.number().int().min(1).max(1000).optional(),
    /** Fails when checks have failed without a success for this long. */
    failingForSeconds: z.number().int().min(1).max(24 * 3600).optional(),
  })
  .refine((g) => g.failures !== undefined || g.failingForSeconds !== undefined, {
    message: 'give failures, failingForSeconds or both',
    path: ['failures'],
  });

export const ZSequentialGate = z.object({
  ...gateCommon,
  kind: z.literal('sequential'),
  /** error_rate compares error shares; latency compares the share of slow requests. */
  metric: z.enum(['error_rate', 'latency']),
  /** This gate's share of the release's family-wise false-positive level. */
  alpha: z.number().gt(0).lt(0.5).default(0.01),
  /**
   * The practical margin: the canary may be this much worse (0.25: 1.25 times the baseline's error rate,
   * or share of slow requests) before the test counts it as worse. Omitted means the engine's default (0.25).
   */
  tolerance: z.number().min(0).max(4).optional(),
});

export const ZGateSpec = z.discriminatedUnion('kind', [
  ZThresholdGate,
  ZBaselineDeltaGate,
  ZBaselineRatioGate,
  ZConsecutiveFailuresGate,
  ZSequentialGate,
]).meta({ id: 'GateSpec' });
export type TGateSpec = z.infer<typeof ZGateSpec>;
export type TGateKind = TGateSpec['kind'];

/** Who is expected to tick a checklist item. */
export const ZChecklistOwner = z.enum(['release_owner', 'product', 'security', 'infrastructure', 'engineering']);
export type TChecklistOwner = z.infer<typeof ZChecklistOwner>;

export const ZChecklistItemSpec = z
  .object({
    key: ZSlug,
    text: z.string().min(1).max(500),
    phase: ZChecklistPhase,
    /** For phase "stage": the stage the item belongs to. It must be done before ramping out of that stage. */
    stageKey: ZSlug.optional(),
    required: z.boolean().default(true),
    ownerRole: ZChecklistOwner.default('release_owner'),
  })
  .refine((i) => (i.phase === 'stage') === (i.stageKey !== undefined), {
    message: 'stageKey is given exactly when phase is "stage"',
    path: ['stageKey'],
  });
export type TChecklistItemSpec = z.infer<typeof ZChecklistItemSpec>;

export const ZChecklistSectionSpec = z.object({
  title: z.string().min(1).max(200),
  items: z.array(ZChecklistItemSpec).min(1).max(200),
}).meta({ id: 'ChecklistSectionSpec' });
export type TChecklistSectionSpec = z.infer<typeof ZChecklistSectionSpec>;

export const ZMessageTemplateSpec = z.object({
  key: ZSlug,
  kind: ZMessageKind,
  audience: z.enum(['internal', 'external']),
  title: z.string().min(1).max(200),
  /** Mustache template; the variables are MESSAGE_VARIABLES. */
  body: z.string().min(1).max(10_000),
  severity: ZIncidentSeverity.optional(),
}).meta({ id: 'MessageTemplateSpec' });
export type TMessageTemplateSpec = z.infer<typeof ZMessageTemplateSpec>;

export const ZIncidentLevelSpec = z.object({
  level: ZIncidentSeverity,
  criteria: z.array(z.string().min(1).max(300)).min(1).max(20),
  response: z.string().min(1).max(500),
});
export type TIncidentLevelSpec = z.infer<typeof ZIncidentLevelSpec>;

export const ZAutomationPolicy = z.object({
  /** Ramp on its own once the bake time is over and every gate passed. */
  autoAdvance: z.boolean().default(false),
  /** Pause on a breach of a pause-severity gate. */
  autoPause: z.boolean().default(true),
  /** Roll back on a breach of a rollback-severity gate. */
  autoRollback: z.boolean().default(true),
});
export type TAutomationPolicy = z.infer<typeof ZAutomationPolicy>;

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

export const ZPlaybookSpec = z
  .object({
    stages: z.array(ZStageSpec).min(1).max(32),
    gates: z.array(ZGateSpec).max(64).default([]),
    checklist: z.array(ZChecklistSectionSpec).max(64).default([]),
    approvalsBeforeStart: z.array(ZApprovalRequirement).max(8).default([]),
    messages: z.array(ZMessageTemplateSpec).max(64).default([]),
    incidentLevels: z.array(ZIncidentLevelSpec).max(4).default([]),
    automation: ZAutomationPolicy.default({ autoAdvance: false, autoPause: true, autoRollback: true }),
  })
  .superRefine((spec, ctx) => {
    const stageKeys = spec.stages.map((s) => s.key);
    for (const key of duplicates(stageKeys)) {
      ctx.addIssue({ code: 'custom', path: ['stages'], message: `stage key "${key}" is used twice` });
    }
    spec.stages.forEach((stage, i) => {
      const previous = spec.stages[i - 1];
      if (previous && stage.trafficPercent < previous.trafficPercent) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', i, 'trafficPercent'],
          message: 'traffic never goes down from one stage to the next',
        });
      }
    });
    for (const key of duplicates(spec.gates.map((g) => g.key))) {
      ctx.addIssue({ code: 'custom', path: ['gates'], message: `gate key "${key}" is used twice` });
    }
    spec.gates.forEach((gate, i) => {
      gate.stages?.forEach((key, j) => {
        if (!stageKeys.includes(key)) {
          ctx.addIssue({ code: 'custom', path: ['gates', i, 'stages', j], message: `no stage "${key}"` });
        }
      });
    });
    const itemKeys = spec.checklist.flatMap((s) => s.items.map((i) => i.key));
    for (const key of duplicates(itemKeys)) {
      ctx.addIssue({ code: 'custom', path: ['checklist'], message: `checklist item key "${key}" is used twice` });
    }
    spec.checklist.forEach((section, s) => {
      section.items.forEach((item, i) => {
        if (item.stageKey !== undefined && !stageKeys.includes(item.stageKey)) {
          ctx.addIssue({
            code: 'custom',
            path: ['checklist', s, 'items', i, 'stageKey'],
            message: `no stage "${item.stageKey}"`,
          });
        }
      });
    });
    for (const key of duplicates(spec.messages.map((m) => m.key))) {
      ctx.addIssue({ code: 'custom', path: ['messages'], message: `message key "${key}" is used twice` });
    }
  }).meta({ id: 'PlaybookSpec' });
export type TPlaybookSpec = z.infer<typeof ZPlaybookSpec>;
/** What an author writes: defaults not yet applied. */
export type TPlaybookSpecInput = z.input<typeof ZPlaybookSpec>;

/** The variables a message template may use, with what each holds. */
export const MESSAGE_VARIABLES = {
  service: 'the service being released',
  version: 'the software version being released',
  previousVersion: 'not known to Rampart yet: renders as "the previous version"',
  notes: "the release's notes (changes)",
  owner: "the release owner's name",
  state: 'the release state in words (Running, Paused, Rolling back, ...)',
  health: 'Healthy, Degraded or Unknown, from the gate verdicts',
  stage: 'the current stage name',
  percent: 'the desired traffic percent',
  acknowledgedPercent: 'the traffic percent the deploy tooling applied',
  nextStage: 'the next stage name, or "none"',
  nextPercent: "the next stage's traffic percent, or the current one at the last stage",
  startedAt: 'when the release started (ISO 8601, UTC), or "not started"',
  finishedAt: 'when it finished (ISO 8601, UTC), or "not finished"',
  now: 'the current time (ISO 8601, UTC)',
  errorRate: "the canary's error rate over the last window, in percent, or n/a",
  baselineErrorRate: "the baseline's error rate over the last window, in percent, or n/a",
  latencyP95: "the canary's P95 latency, or n/a",
  baselineLatencyP95: "the baseline's P95 latency, or n/a",
  issues: 'failing gates in words, or "None"',
  reason: 'the reason given with the latest rollback or pause, or "not given"',
  severity: "the template's incident severity (P0 to P3)",
  releaseUrl: "the release's page",
} as const;
export type TMessageVariable = keyof typeof MESSAGE_VARIABLES;
