// The playbook spec: what a team's rollout document says, in a form Rampart can run.
// A release copies its playbook's spec when created, so later edits never reach a running release.
import { z } from 'zod';
import {
  ZApprovalRole,
  ZChecklistPhase,
  ZGateSeverity,
  ZIncidentAction,
  ZIncidentScale,
  ZIncidentSeverity,
  ZMessageKind,
  ZMessageMoment,
  ZProblemKind,
  ZWeekday,
  INCIDENT_SCALES,
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

/**
 * Fed by incidents reported on the release, not by metrics (seed 000: "no new SEV1/SEV2 incidents in 1 hour
 * after each ramp"). It fails when a matching incident starts after the stage was entered, is inconclusive
 * while the window after entering the stage runs, and passes once the window is over with none.
 */
export const ZIncidentsGate = z.object({
  ...gateCommon,
  kind: z.literal('incidents'),
  /** Severities that count; omitted means every severity (and every problem kind). */
  severities: z.array(ZIncidentSeverity).min(1).max(8).optional(),
  /** Problem kinds that count besides incidents; omitted means incidents only. */
  kinds: z.array(ZProblemKind).max(6).optional(),
  /** How long after entering each stage the gate watches for new incidents. */
  windowSeconds: z.number().int().min(0).max(7 * 24 * 3600).default(3600),
});

export const ZGateSpec = z.discriminatedUnion('kind', [
  ZThresholdGate,
  ZBaselineDeltaGate,
  ZBaselineRatioGate,
  ZConsecutiveFailuresGate,
  ZSequentialGate,
  ZIncidentsGate,
]).meta({ id: 'GateSpec' });
export type TGateSpec = z.infer<typeof ZGateSpec>;
export type TGateKind = TGateSpec['kind'];
/** The gates that read a metric: every kind but the incidents gate. */
export type TMetricGateSpec = Exclude<TGateSpec, { kind: 'incidents' }>;

export function isMetricGate(gate: TGateSpec): gate is TMetricGateSpec {
  return gate.kind !== 'incidents';
}

/** The metric names a playbook's gates read. */
export function gateMetrics(gates: readonly TGateSpec[]): string[] {
  return gates.filter(isMetricGate).map((gate) => gate.metric);
}

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
  /**
   * The moments it goes out by itself (to Slack-format webhooks, email contacts and, for the external
   * audience, the public status page). Omitted means the moment of its kind: announcement at start,
   * progress at each ramp, complete at completion, rollback when a rollback starts, incident on an incident.
   */
  on: z.array(ZMessageMoment).max(8).optional(),
  /** Also sent every this many seconds while the release runs (seed 004: every 30 minutes). */
  everySeconds: z.number().int().min(60).max(24 * 3600).optional(),
}).meta({ id: 'MessageTemplateSpec' });
export type TMessageTemplateSpec = z.infer<typeof ZMessageTemplateSpec>;

export const ZIncidentLevelSpec = z.object({
  level: ZIncidentSeverity,
  criteria: z.array(z.string().min(1).max(300)).min(1).max(20),
  response: z.string().min(1).max(500),
});
export type TIncidentLevelSpec = z.infer<typeof ZIncidentLevelSpec>;

/** What happens when a problem is reported: the strongest matching response wins, `notify` when none match. */
export const ZIncidentResponseSpec = z.object({
  /** Problem kinds this response covers; omitted means any kind. */
  kinds: z.array(ZProblemKind).min(1).max(6).optional(),
  /** Incident severities this response covers; omitted means any severity (or none). */
  severities: z.array(ZIncidentSeverity).min(1).max(8).optional(),
  action: ZIncidentAction,
  /** Page the on-call contacts (with escalation) as well. */
  page: z.boolean().default(false),
  source: ZSource,
});
export type TIncidentResponseSpec = z.infer<typeof ZIncidentResponseSpec>;

/** Someone the release names by role: the owner, the on-call engineer, the deployment lead... */
export const ZContactSpec = z.object({
  /** The role as the document names it ("On-call engineer", "Deployment lead"). */
  role: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().email().max(320).optional(),
  phone: z.string().trim().max(50).optional(),
  /** Paged on an automatic rollback or a P0/P1 (SEV1/SEV2) incident, in list order, escalating down the list. */
  onCall: z.boolean().default(false),
});
export type TContactSpec = z.infer<typeof ZContactSpec>;

export const ZEscalationPolicy = z.object({
  /** Unacknowledged for this long, a page goes to the next on-call contact. */
  acknowledgeWithinSeconds: z.number().int().min(30).max(24 * 3600).default(900),
});
export type TEscalationPolicy = z.infer<typeof ZEscalationPolicy>;

/** Intl carries the IANA zone rules; a name it does not know would make every window check throw. */
function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const ZClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');

/** A weekly window in which releases may start (and, if `ramps`, ramp): seed 000's low-traffic window. */
export const ZReleaseWindowSpec = z
  .object({
    days: z.array(ZWeekday).min(1).max(7),
    start: ZClockTime,
    end: ZClockTime,
    /** An IANA time zone name ("Europe/Berlin"); the window's times are local to it. */
    timeZone: z.string().min(1).max(64).default('UTC'),
    /** Whether ramps must also fall in a window, or only the start. */
    ramps: z.boolean().default(false),
    source: ZSource,
  })
  .refine((w) => w.start !== w.end, { message: 'a window must not end when it starts', path: ['end'] })
  .refine((w) => isKnownTimeZone(w.timeZone), { message: 'must be an IANA time zone name, such as "Europe/Berlin"', path: ['timeZone'] });
export type TReleaseWindowSpec = z.infer<typeof ZReleaseWindowSpec>;

export const ZAutomationPolicy = z.object({
  /** Ramp on its own once the bake time is over and every gate passed. */
  autoAdvance: z.boolean().default(false),
  /** Pause on a breach of a pause-severity gate. */
  autoPause: z.boolean().default(true),
  /** Roll back on a breach of a rollback-severity gate. */
  autoRollback: z.boolean().default(true),
  /**
   * Complete on its own once the last stage's watch (its bake time) is over and its gates pass; otherwise
   * completion waits for a person (seed 004: "monitor for 2 hours before signing off").
   */
  autoComplete: z.boolean().default(false),
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
    /** The severity scale incidents on its releases use. */
    incidentScale: ZIncidentScale.default('P0-P3'),
    incidentResponses: z.array(ZIncidentResponseSpec).max(32).default([]),
    /** Defaults for each release's contacts; a release may name its own. */
    contacts: z.array(ZContactSpec).max(20).default([]),
    escalation: ZEscalationPolicy.default({ acknowledgeWithinSeconds: 900 }),
    /** Empty means a release may start and ramp at any time. */
    windows: z.array(ZReleaseWindowSpec).max(14).default([]),
    automation: ZAutomationPolicy.default({ autoAdvance: false, autoPause: true, autoRollback: true, autoComplete: false }),
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
    const scale: readonly string[] = INCIDENT_SCALES[spec.incidentScale];
    const offScale = (severities: readonly string[] | undefined, path: (string | number)[]) =>
      severities?.forEach((severity, k) => {
        if (!scale.includes(severity)) {
          ctx.addIssue({ code: 'custom', path: [...path, k], message: `severity "${severity}" is not on the playbook's ${spec.incidentScale} scale` });
        }
      });
    spec.incidentResponses.forEach((response, i) => offScale(response.severities, ['incidentResponses', i, 'severities']));
    spec.gates.forEach((gate, i) => {
      if (gate.kind === 'incidents') offScale(gate.severities, ['gates', i, 'severities']);
    });
    spec.messages.forEach((message, i) => {
      if (message.severity) offScale([message.severity], ['messages', i, 'severity']);
    });
    spec.incidentLevels.forEach((level, i) => offScale([level.level], ['incidentLevels', i, 'level']));
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
  previousVersion: 'the version of the latest earlier completed release of the service, or "the previous version (not recorded in Rampart)"',
  notes: "the release's notes (changes), or \"no notes given\"",
  owner: "the release owner's name",
  state: 'the release state in words (Running, Paused, Rolling back, ...)',
  health: 'Healthy, Degraded or Unknown with the reason, from the gate verdicts at the current stage (or the one just left), open incidents and rollbacks',
  stage: 'the current stage name, or "not started"',
  percent: 'the desired traffic percent',
  acknowledgedPercent: 'the traffic percent the deploy tooling applied',
  nextStage: 'the next stage name, or "none (last stage)"',
  nextPercent: "the next stage's traffic percent, or the current one at the last stage",
  startedAt: 'when the release started, for people: "2025-11-05 14:00 UTC", or "not started yet"',
  finishedAt: 'when it finished, for people: "2025-11-05 16:00 UTC", or "not finished yet"',
  now: 'the time of the message, for people: "2025-11-05 14:00 UTC"',
  errorRate: "the canary's error rate over the last 5 minutes, in percent, or unknown with the reason",
  baselineErrorRate: "the baseline's error rate over the last 5 minutes, in percent, or unknown with the reason",
  latencyP95: "the canary's P95 latency over the last 5 minutes, or unknown with the reason",
  baselineLatencyP95: "the baseline's P95 latency over the last 5 minutes, or unknown with the reason",
  issues: 'failing or warning gates in words, or "none: every gate passes" (or "none so far" while gates gather data)',
  reason: 'the reason given with the latest rollback or pause, or "no reason given"',
  severity: "the template's own severity; else the latest incident's (P0 to P3 or SEV1 to SEV4); else unknown with the reason",
  severityResponse: "what the playbook's incident levels say to do at that severity, or unknown with the reason",
  incident: "the latest incident's title (external templates: its public note, or \"an issue we are investigating\"), or \"none reported\"",
  incidentStatus: "the latest incident's status (Open, Mitigated, Resolved), or \"no incident reported\"",
  incidentStartedAt: 'when the latest incident started, for people: "2025-11-05 14:05 UTC"',
  incidentHandler: 'who handles the latest incident, or "nobody assigned yet" (external templates: "our on-call team")',
  onCall: 'the on-call contacts by name, or "unknown (no on-call contact named)" (external templates: "our on-call team")',
  contacts: 'every contact as "role: name" (external templates: "our release team")',
  timeLeft: 'the bake time left at the current stage (the watch, at the last stage), in words: "25 minutes"',
  nextStepAt: 'when the current stage\'s bake time ends: "14:30 UTC" (the date too when not today)',
  watchEndsAt: 'when the watch at the last stage (its bake time) ends: "18:00 UTC" (the date too when not today), or unknown with the reason',
  releaseUrl: "the release's page",
} as const;
export type TMessageVariable = keyof typeof MESSAGE_VARIABLES;
