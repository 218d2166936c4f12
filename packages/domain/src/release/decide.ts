// The release state machine: given a release and a requested action, either the release as it is
// after the action and the event that records it, or the reason it is refused. Pure: the caller
// supplies the time and the gate verdicts, and persists the result.
import type { TReleaseAction, TReleaseEventType, TReleaseState } from '@rampart/contracts';
import { RELEASE_ACTIONS } from '@rampart/contracts';
import { completeBlockers, rampBlockers, startBlockers } from './blockers.js';
import type { TBlocker, TGateStatus, TReleaseSnapshot } from './snapshot.js';
import { currentStage, nextStage } from './snapshot.js';
import { FORCEABLE_ACTIONS, isBinding, isLegal } from './transitions.js';

export interface TActionCommand {
  action: TReleaseAction;
  reason?: string | undefined;
  force?: boolean | undefined;
}

export interface TActionContext {
  now: Date;
  /** Verdicts of the gates that judge the current stage; empty when nothing judges it. */
  gates: readonly TGateStatus[];
}

export interface TDomainEvent {
  type: TReleaseEventType;
  reason?: string | undefined;
  data: Record<string, unknown>;
}

export type TRefusal =
  | { kind: 'illegal_transition'; state: TReleaseState; action: TReleaseAction; message: string }
  | { kind: 'blocked'; action: TReleaseAction; blockers: TBlocker[]; message: string }
  | { kind: 'invalid'; field: string; message: string }
  | { kind: 'finished'; state: TReleaseState; message: string };

export type TDecision =
  | { ok: true; release: TReleaseSnapshot; events: TDomainEvent[] }
  | { ok: false; refusal: TRefusal };

const EVENT_OF_ACTION: Record<TReleaseAction, TReleaseEventType> = {
  start: 'release.started',
  ramp: 'release.ramped',
  pause: 'release.paused',
  resume: 'release.resumed',
  rollback: 'release.rollback_started',
  complete: 'release.completed',
  abort: 'release.aborted',
};

/** Why the binding blockers cannot be forced, in the words of each kind present. */
function bindingReasons(binding: readonly TBlocker[]): string {
  const reasons: string[] = [];
  if (binding.some((b) => b.kind === 'freeze')) reasons.push('a change freeze cannot be forced, only an admin ending it lifts it');
  if (binding.some((b) => b.kind !== 'freeze')) reasons.push('sign-offs cannot be forced, only the approvers can give them');
  return reasons.join('; ');
}

/** Blockers of an action in the release's current state; legality is checked separately. */
export function blockersOf(release: TReleaseSnapshot, action: TReleaseAction, context: TActionContext): TBlocker[] {
  switch (action) {
    case 'start':
      return startBlockers(release, context.now);
    case 'ramp':
      return rampBlockers(release, context.now, context.gates);
    case 'complete':
      return completeBlockers(release, context.now, context.gates);
    default:
      return [];
  }
}

/** Why the action is illegal for the release as it is (its state, or where it is in its stages), or null when legal. */
export function illegalReason(release: TReleaseSnapshot, action: TReleaseAction): string | null {
  if (!isLegal(action, release.state)) return `Cannot ${action} a release that is ${release.state.replace('_', ' ')}`;
  const atLastStage = release.currentStageIndex === release.stages.length - 1;
  if (action === 'ramp' && atLastStage) return 'Cannot ramp: the release is at its last stage; complete it instead';
  if (action === 'complete' && !atLastStage) {
    const next = nextStage(release);
    return `Cannot complete: the release is not at its last stage yet (next: ${next?.name ?? 'none'})`;
  }
  return null;
}

function enterStage(release: TReleaseSnapshot, index: number, now: Date): TReleaseSnapshot {
  const stages = release.stages.map((stage, i) => {
    if (i === release.currentStageIndex) return { ...stage, exitedAt: now };
    if (i === index) return { ...stage, enteredAt: now, exitedAt: null };
    return stage;
  });
  const entered = stages[index];
  return {
    ...release,
    stages,
    currentStageIndex: index,
    desiredPercent: entered ? entered.trafficPercent : release.desiredPercent,
  };
}

function leaveCurrentStage(release: TReleaseSnapshot, now: Date): TReleaseSnapshot {
  const stages = release.stages.map((stage, i) => (i === release.currentStageIndex ? { ...stage, exitedAt: now } : stage));
  return { ...release, stages };
}

/** The release after the action, assuming it is legal and unblocked. */
function applyAction(release: TReleaseSnapshot, action: TReleaseAction, now: Date): TReleaseSnapshot {
  switch (action) {
    case 'start':
      return { ...enterStage(release, 0, now), state: 'running', startedAt: now };
    case 'ramp':
      return enterStage(release, release.currentStageIndex + 1, now);
    case 'pause':
      return { ...release, state: 'paused' };
    case 'resume':
      return { ...release, state: 'running' };
    case 'rollback': {
      // Nothing to wait for when the tooling runs no canary traffic and none is on its way.
      const done = release.acknowledgedPercent === 0 && release.desiredPercent === 0;
      return {
        ...release,
        state: done ? 'rolled_back' : 'rolling_back',
        desiredPercent: 0,
        finishedAt: done ? now : null,
      };
    }
    case 'complete':
      return { ...leaveCurrentStage(release, now), state: 'completed', finishedAt: now };
    case 'abort':
      return { ...release, state: 'aborted', desiredPercent: 0, finishedAt: now };
  }
}

export function decideAction(release: TReleaseSnapshot, command: TActionCommand, context: TActionContext): TDecision {
  const { action } = command;
  const reason = command.reason?.trim() || undefined;
  const illegal = illegalReason(release, action);
  if (illegal) {
    return { ok: false, refusal: { kind: 'illegal_transition', state: release.state, action, message: illegal } };
  }

  const blockers = blockersOf(release, action, context);
  if (command.force && !FORCEABLE_ACTIONS.includes(action)) {
    return { ok: false, refusal: { kind: 'invalid', field: 'force', message: `${action} cannot be forced` } };
  }
  if (command.force && !reason) {
    return { ok: false, refusal: { kind: 'invalid', field: 'reason', message: 'A forced action needs a reason' } };
  }
  const binding = blockers.filter(isBinding);
  if (command.force && binding.length > 0) {
    const message = `Cannot force ${action}: ${bindingReasons(binding)}: ${binding.map((b) => b.message).join('; ')}`;
    return { ok: false, refusal: { kind: 'blocked', action, blockers: binding, message } };
  }
  if (blockers.length > 0 && !command.force) {
    const message = `Cannot ${action}: ${blockers.map((b) => b.message).join('; ')}`;
    return { ok: false, refusal: { kind: 'blocked', action, blockers, message } };
  }

  const from = currentStage(release);
  const next = applyAction(release, action, context.now);
  const to = currentStage(next);
  const data: Record<string, unknown> = {
    fromState: release.state,
    toState: next.state,
    fromStage: from?.key ?? null,
    toStage: to?.key ?? null,
    fromPercent: release.desiredPercent,
    toPercent: next.desiredPercent,
  };
  if (command.force && blockers.length > 0) data.forcedPast = blockers;
  const events: TDomainEvent[] = [{ type: EVENT_OF_ACTION[action], reason, data }];
  if (next.state === 'rolled_back') {
    events.push({ type: 'release.rolled_back', data: { acknowledgedPercent: next.acknowledgedPercent } });
  }
  return { ok: true, release: next, events };
}

export interface TActionAvailability {
  action: TReleaseAction;
  legal: boolean;
  allowed: boolean;
  /** Whether forcing can take it past its blockers now: never past a sign-off. */
  forceable: boolean;
  reason: string | null;
  blockers: TBlocker[];
}

/** For each action: can it be taken now, and if not, why. What the buttons of the release page show. */
export function actionAvailability(release: TReleaseSnapshot, context: TActionContext): TActionAvailability[] {
  return RELEASE_ACTIONS.map((action) => {
    const reason = illegalReason(release, action);
    const blockers = reason ? [] : blockersOf(release, action, context);
    return {
      action,
      legal: reason === null,
      allowed: reason === null && blockers.length === 0,
      forceable: FORCEABLE_ACTIONS.includes(action) && !blockers.some(isBinding),
      reason,
      blockers,
    };
  });
}
