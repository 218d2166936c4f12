// What the autopilot does with a judged release, by its playbook's automation policy. Pure: the
// caller supplies the verdicts and the time, performs the action, and records the evidence.
import type { TAutomationPolicy, TReleaseAction } from '@rampart/contracts';
import { completeBlockers, rampBlockers } from '../release/blockers.js';
import type { TGateStatus, TReleaseSnapshot } from '../release/snapshot.js';
import { nextStage } from '../release/snapshot.js';

export interface TAutomationInput {
  release: TReleaseSnapshot;
  policy: TAutomationPolicy;
  /** Verdicts of the gates judging the current stage, now. */
  gates: readonly TGateStatus[];
  /** Gates that failed or warned at any evaluation since the current stage was entered. */
  breachedThisStage: readonly string[];
  now: Date;
}

export type TAutomationDecision =
  | { kind: 'hold'; why: string }
  | { kind: 'act'; action: Extract<TReleaseAction, 'rollback' | 'pause' | 'ramp' | 'complete'>; reason: string; gates: string[] };

function names(gates: readonly TGateStatus[]): string {
  return gates.map((g) => g.name).join(', ');
}

export function decideAutomation(input: TAutomationInput): TAutomationDecision {
  const { release, policy, gates } = input;
  if (release.state !== 'running' && release.state !== 'paused') {
    return { kind: 'hold', why: `the release is ${release.state.replace('_', ' ')}` };
  }

  const failing = gates.filter((g) => g.verdict === 'fail');
  const rollbackGates = failing.filter((g) => g.severity === 'rollback');
  // A paused canary still serves traffic: a rollback trigger rolls it back all the same.
  if (rollbackGates.length > 0 && policy.autoRollback) {
    return { kind: 'act', action: 'rollback', reason: `Automatic rollback: ${names(rollbackGates)} failing`, gates: rollbackGates.map((g) => g.key) };
  }
  if (release.state === 'paused') return { kind: 'hold', why: 'paused: only a rollback trigger moves it' };
  // With automatic rollback off, a rollback-severity breach still pauses when pausing is allowed.
  const pauseGates = failing.filter((g) => g.severity === 'pause' || g.severity === 'rollback');
  if (pauseGates.length > 0 && policy.autoPause) {
    return { kind: 'act', action: 'pause', reason: `Automatic pause: ${names(pauseGates)} failing`, gates: pauseGates.map((g) => g.key) };
  }
  if (failing.length > 0) return { kind: 'hold', why: `${names(failing)} failing; the policy leaves the decision to a person` };

  // Stopping harm goes on during a freeze; moving forward waits for it to end.
  if (release.freeze) return { kind: 'hold', why: `a change freeze is in force (${release.freeze.reason}); nothing moves forward by itself` };
  const next = nextStage(release);
  if (!next) return decideCompletion(input);
  if (!policy.autoAdvance) return { kind: 'hold', why: 'auto-advance is off' };
  if (input.breachedThisStage.length > 0) {
    return { kind: 'hold', why: `gates breached during this stage (${input.breachedThisStage.join(', ')}); ramping is left to a person` };
  }
  const blockers = rampBlockers(release, input.now, gates);
  if (blockers.length > 0) return { kind: 'hold', why: blockers.map((b) => b.message).join('; ') };
  return {
    kind: 'act',
    action: 'ramp',
    reason: `Automatic ramp to ${next.name} (${next.trafficPercent}%): bake time over and every gate passed`,
    gates: gates.map((g) => g.key),
  };
}

/**
 * At the last stage the bake time is the watch. With autoComplete the release completes once the watch is
 * over, no blocker remains and every gate passes; a breach at any time during the watch leaves it to a person.
 */
function decideCompletion(input: TAutomationInput): TAutomationDecision {
  const { release, policy, gates } = input;
  if (!policy.autoComplete) return { kind: 'hold', why: 'at the last stage; completing is left to a person' };
  if (input.breachedThisStage.length > 0) {
    return { kind: 'hold', why: `gates breached during the watch (${input.breachedThisStage.join(', ')}); completing is left to a person` };
  }
  const blockers = completeBlockers(release, input.now, gates);
  if (blockers.length > 0) return { kind: 'hold', why: blockers.map((b) => b.message).join('; ') };
  const stage = release.stages[release.currentStageIndex];
  return {
    kind: 'act',
    action: 'complete',
    reason: `Automatic completion: the watch at ${stage?.name ?? 'the last stage'} is over and every gate passed`,
    gates: gates.map((g) => g.key),
  };
}
