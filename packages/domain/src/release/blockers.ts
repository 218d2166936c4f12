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

function bakeBlockers(stage: TStageSnapshot, now: Date): TBlocker[] {
  if (!stage.enteredAt) return [];
  const secondsLeft = stage.minBakeSeconds - (now.getTime() - stage.enteredAt.getTime()) / 1000;
  if (secondsLeft <= 0) return [];
  return [
    {
      kind: 'bake_time',
      message: `${formatDuration(secondsLeft)} of bake time left at ${stage.name} (minimum ${formatDuration(stage.minBakeSeconds)})`,
      detail: { stage: stage.key, secondsLeft: Math.ceil(secondsLeft) },
    },
  ];
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

export function startBlockers(release: TReleaseSnapshot): TBlocker[] {
  const first = release.stages[0];
  return [
    ...approvalBlockers(release, null, release.approvalsBeforeStart, 'Starting the release'),
    ...(first ? approvalBlockers(release, first.key, first.signoff, `Entering ${first.name}`) : []),
    ...openItemBlockers(release.checklist.filter((item) => item.phase === 'before_start')),
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
  ];
}

export function rampBlockers(release: TReleaseSnapshot, now: Date, gates: readonly TGateStatus[]): TBlocker[] {
  const next = nextStage(release);
  return [
    ...leaveStageBlockers(release, now, gates),
    ...(next ? approvalBlockers(release, next.key, next.signoff, `Ramping to ${next.name}`) : []),
  ];
}

export function completeBlockers(release: TReleaseSnapshot, now: Date, gates: readonly TGateStatus[]): TBlocker[] {
  return leaveStageBlockers(release, now, gates);
}
