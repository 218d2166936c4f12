// Why an action cannot go ahead yet. Each rule returns blockers, never throws: the API shows them all at once.
import type { TApprovalRequirement } from '@rampart/contracts';
import { formatDuration } from '../duration.js';
import type {
  TBlocker,
  TChecklistItemSnapshot,
  TGateStatus,
  TReleaseSnapshot,
  TStageSnapshot,
} from './snapshot.js';
import { currentStage, nextStage } from './snapshot.js';
import { outsideWindows } from './windows.js';

function approvalBlockers(
  release: TReleaseSnapshot,
  stageKey: string | null,
  requirements: readonly TApprovalRequirement[],
  forWhat: string,
): TBlocker[] {
  const decisions = release.approvals.filter((a) => a.stageKey === stageKey);
  const blockers: TBlocker[] = decisions
    .filter((a) => a.decision === 'reject')
    .map((a) => ({
      kind: 'approval_rejected',
      message: `${a.role} rejected ${forWhat}${a.comment?.trim() ? `: “${a.comment.trim()}”` : ''}`,
      detail: { role: a.role, stage: stageKey ?? 'before_start', userId: a.userId },
    }));
  for (const requirement of requirements) {
    const approvers = new Set(
      decisions.filter((a) => a.role === requirement.role && a.decision === 'approve').map((a) => a.userId),
    );
    if (approvers.size < requirement.count) {
      const missing = requirement.count - approvers.size;
      blockers.push({
        kind: 'approval_missing',
        message: `${forWhat} needs ${missing} more ${requirement.role} sign-off${missing > 1 ? 's' : ''}`,
        detail: { role: requirement.role, stage: stageKey ?? 'before_start', missing },
      });
    }
  }
  return blockers;
}

/** How many open items a blocker names before it only counts the rest. */
const NAMED_OPEN_ITEMS = 3;

/** One blocker for the open required items, naming the first few so the reader knows which to go and tick. */
function openItemBlockers(items: readonly TChecklistItemSnapshot[]): TBlocker[] {
  const open = items.filter((item) => item.required && item.status === 'open');
  const first = open[0];
  if (!first) return [];
  const detail = { items: open.map((item) => item.key).join(','), count: open.length };
  if (open.length === 1) return [{ kind: 'checklist_open', message: `Checklist item open: ${first.text}`, detail }];
  const named = open.slice(0, NAMED_OPEN_ITEMS).map((item) => item.text);
  const rest = open.length - named.length;
  const list = rest > 0 ? `${named.join(', ')} and ${rest} more` : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
  return [{ kind: 'checklist_open', message: `${open.length} required checklist items are still open: ${list}`, detail }];
}

/**
 * Time left at the stage. At 100% there is no baseline left to compare with and nothing further to ramp to:
 * the last stage's bake time is the watch before completing (seed 003: "24 hours minimum"), and reads so.
 */
function bakeBlockers(stage: TStageSnapshot, now: Date): TBlocker[] {
  if (!stage.enteredAt) return [];
  const secondsLeft = stage.minBakeSeconds - (now.getTime() - stage.enteredAt.getTime()) / 1000;
  if (secondsLeft <= 0) return [];
  const detail = { stage: stage.key, secondsLeft: Math.ceil(secondsLeft) };
  if (stage.trafficPercent >= 100) {
    return [{ kind: 'bake_time', message: `${formatDuration(secondsLeft)} of the watch left at ${stage.name}`, detail: { ...detail, period: 'watch' } }];
  }
  return [
    {
      kind: 'bake_time',
      message: `${formatDuration(secondsLeft)} of bake time left at ${stage.name} (minimum ${formatDuration(stage.minBakeSeconds)})`,
      detail,
    },
  ];
}

/** A freeze holds every start and ramp, whoever asks and however: it names itself so people know whom to ask. */
export function freezeBlockers(release: TReleaseSnapshot): TBlocker[] {
  const freeze = release.freeze;
  if (!freeze) return [];
  return [
    {
      kind: 'freeze',
      message: `Change freeze declared by ${freeze.declaredBy}: ${freeze.reason}`,
      detail: { reason: freeze.reason, declaredBy: freeze.declaredBy, since: freeze.declaredAt.toISOString() },
    },
  ];
}

/** Outside every window that governs the action: start obeys every window, ramp only those that say `ramps`. */
export function windowBlockers(release: TReleaseSnapshot, action: 'start' | 'ramp', now: Date): TBlocker[] {
  const windows = (release.windows ?? []).filter((window) => action === 'start' || window.ramps);
  const outside = outsideWindows(windows, now);
  if (!outside) return [];
  const verb = action === 'start' ? 'Starting' : 'Ramping';
  const next = outside.nextOpening?.toISOString();
  return [
    {
      kind: 'outside_window',
      message: `${verb} is allowed only inside the playbook's release windows${next ? `; the next opens at ${next}` : ''}`,
      detail: next ? { action, nextOpening: next } : { action },
    },
  ];
}

/** Open incidents whose response holds the release: nothing moves forward until they are mitigated or resolved. */
export function incidentBlockers(release: TReleaseSnapshot): TBlocker[] {
  return (release.incidents ?? []).map((incident) => {
    const what = incident.severity ? `incident (${incident.severity})` : `problem (${incident.kind.replace('_', ' ')})`;
    return {
      kind: 'incident_open',
      message: `Open ${what}: ${incident.title}`,
      detail: { incident: incident.id, severity: incident.severity ?? 'none', kind: incident.kind, action: incident.action },
    };
  });
}

function gateBlockers(gates: readonly TGateStatus[]): TBlocker[] {
  return gates.flatMap((gate): TBlocker[] => {
    // A breached warn-severity gate (a document's success criterion) triggers nothing, but still holds the ramp.
    if (gate.verdict === 'fail' || gate.verdict === 'warn') {
      const word = gate.verdict === 'fail' ? 'failing' : 'warning';
      return [{ kind: 'gate_failing', message: `Gate ${word}: ${gate.name}`, detail: { gate: gate.key, verdict: gate.verdict } }];
    }
    if (gate.verdict === 'inconclusive') {
      return [
        {
          kind: 'gate_inconclusive',
          message: `Gate inconclusive (not enough evidence yet): ${gate.name}`,
          detail: { gate: gate.key },
        },
      ];
    }
    return [];
  });
}

/** What makes a draft ready: its sign-offs and checklist before start. Freezes and windows come and go with time. */
export function readinessBlockers(release: TReleaseSnapshot): TBlocker[] {
  const first = release.stages[0];
  return [
    ...approvalBlockers(release, null, release.approvalsBeforeStart, 'Starting the release'),
    ...(first ? approvalBlockers(release, first.key, first.signoff, `Entering ${first.name}`) : []),
    ...openItemBlockers(release.checklist.filter((item) => item.phase === 'before_start')),
  ];
}

/** Without `now`, the release windows are not judged (readiness and tests of the other rules). */
export function startBlockers(release: TReleaseSnapshot, now?: Date): TBlocker[] {
  return [
    ...freezeBlockers(release),
    ...readinessBlockers(release),
    ...(now ? windowBlockers(release, 'start', now) : []),
  ];
}

/** What stands between the current stage and leaving it, by ramping or by completing. */
function leaveStageBlockers(release: TReleaseSnapshot, now: Date, gates: readonly TGateStatus[]): TBlocker[] {
  const stage = currentStage(release);
  if (!stage) return [];
  return [
    ...bakeBlockers(stage, now),
    ...openItemBlockers(release.checklist.filter((item) => item.phase === 'stage' && item.stageKey === stage.key)),
    ...gateBlockers(gates),
    ...incidentBlockers(release),
  ];
}

export function rampBlockers(release: TReleaseSnapshot, now: Date, gates: readonly TGateStatus[]): TBlocker[] {
  const next = nextStage(release);
  return [
    ...freezeBlockers(release),
    ...leaveStageBlockers(release, now, gates),
    ...(next ? approvalBlockers(release, next.key, next.signoff, `Ramping to ${next.name}`) : []),
    ...windowBlockers(release, 'ramp', now),
  ];
}

/**
 * A freeze does not hold completion: completing moves no traffic (the release already serves everyone) and
 * only ends its watch. Open incidents do hold it, since they are what the watch is for.
 */
export function completeBlockers(release: TReleaseSnapshot, now: Date, gates: readonly TGateStatus[]): TBlocker[] {
  return leaveStageBlockers(release, now, gates);
}
