// Long random command sequences against the release rules, applied the way the API applies them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  APPROVAL_DECISIONS,
  APPROVAL_ROLES,
  CHECKLIST_STATUSES,
  FINISHED_STATES,
  GATE_VERDICTS,
  RELEASE_ACTIONS,
  RELEASE_STATES,
} from '@rampart/contracts';
import type { TReleaseState } from '@rampart/contracts';
import {
  acknowledgeTraffic,
  actionAvailability,
  checkChecklistUpdate,
  checkSignoff,
  decideAction,
  rampBlockers,
  reconcileReadiness,
  startBlockers,
} from '../../src/index.js';
import type { TActor, TDecision, TDomainEvent, TGateStatus, TReleaseSnapshot } from '../../src/index.js';
import { OWNER, T0, buildChecklist, buildRelease, gate } from './fixtures.js';

const actionCmd = fc.record({
  kind: fc.constant('action' as const),
  // Biased towards moving forward, so that sequences reach the last stage before a rollback ends them.
  action: fc.oneof({ arbitrary: fc.constantFrom(...RELEASE_ACTIONS), weight: 1 }, { arbitrary: fc.constantFrom('start', 'ramp', 'complete'), weight: 2 }),
  force: fc.boolean(),
  reason: fc.oneof({ arbitrary: fc.constant('on-call agreed'), weight: 3 }, { arbitrary: fc.constantFrom(undefined, '', '  '), weight: 1 }),
});
const checklistCmd = fc.record({
  kind: fc.constant('checklist' as const),
  item: fc.constantFrom(...buildChecklist().map((i) => i.key)),
  status: fc.constantFrom(...CHECKLIST_STATUSES),
});
const approvalCmd = fc.record({
  kind: fc.constant('approval' as const),
  userId: fc.constantFrom(OWNER, 'ann', 'ben'),
  // Biased towards the sign-offs the fixture's playbook asks for: they cannot be forced, so sequences must
  // collect them to reach the last stage.
  role: fc.oneof({ arbitrary: fc.constantFrom(...APPROVAL_ROLES), weight: 1 }, { arbitrary: fc.constantFrom('product' as const, 'engineering' as const), weight: 2 }),
  holdsRole: fc.boolean(),
  stageKey: fc.oneof({ arbitrary: fc.constantFrom(null, 'staging', 'canary', 'full', 'nowhere'), weight: 1 }, { arbitrary: fc.constantFrom(null, 'canary'), weight: 1 }),
  decision: fc.oneof({ arbitrary: fc.constantFrom(...APPROVAL_DECISIONS), weight: 1 }, { arbitrary: fc.constant('approve' as const), weight: 1 }),
});
const ackCmd = fc.record({ kind: fc.constant('ack' as const), percent: fc.integer({ min: 0, max: 100 }), exactlyDesired: fc.boolean() });
const clockCmd = fc.record({ kind: fc.constant('clock' as const), seconds: fc.integer({ min: 0, max: 3 * 3600 }) });
const gatesCmd = fc.record({ kind: fc.constant('gates' as const), verdicts: fc.array(fc.constantFrom(...GATE_VERDICTS), { maxLength: 3 }) });
const command = fc.oneof(
  { arbitrary: actionCmd, weight: 4 },
  { arbitrary: checklistCmd, weight: 2 },
  { arbitrary: approvalCmd, weight: 3 },
  { arbitrary: ackCmd, weight: 2 },
  { arbitrary: clockCmd, weight: 2 },
  { arbitrary: gatesCmd, weight: 1 },
);
type TCommand = typeof command extends fc.Arbitrary<infer C> ? C : never;

interface TWorld {
  release: TReleaseSnapshot;
  now: Date;
  gates: TGateStatus[];
}
interface TOutcome {
  release: TReleaseSnapshot;
  /** Only the events the domain functions returned (the API adds its own for checklist and approvals). */
  events: TDomainEvent[];
  refused: boolean;
}

const fromDecision = (release: TReleaseSnapshot, d: TDecision): TOutcome =>
  d.ok ? { release: d.release, events: d.events, refused: false } : { release, events: [], refused: true };

/** One command, applied as the API services apply it. */
function apply(world: TWorld, cmd: TCommand): TOutcome {
  const r = world.release;
  const unchanged: TOutcome = { release: r, events: [], refused: false };
  switch (cmd.kind) {
    case 'action':
      return fromDecision(r, decideAction(r, cmd, { now: world.now, gates: world.gates }));
    case 'ack':
      return fromDecision(r, acknowledgeTraffic(r, cmd.exactlyDesired ? r.desiredPercent : cmd.percent, world.now));
    case 'checklist': {
      const item = r.checklist.find((i) => i.key === cmd.item)!;
      if (checkChecklistUpdate(r, item)) return { ...unchanged, refused: true };
      if (item.status === cmd.status) return unchanged;
      const checklist = r.checklist.map((i) => (i.key === cmd.item ? { ...i, status: cmd.status } : i));
      return { ...reconcileReadiness({ ...r, checklist }), refused: false };
    }
    case 'approval': {
      const actor: TActor = { kind: 'user', userId: cmd.userId, name: cmd.userId, role: 'approver', approvalRoles: cmd.holdsRole ? [cmd.role] : [] };
      if (checkSignoff(r, actor, cmd)) return { ...unchanged, refused: true };
      const mine = (a: TReleaseSnapshot['approvals'][number]) => a.userId === cmd.userId && a.role === cmd.role && a.stageKey === cmd.stageKey;
      const approvals = [...r.approvals.filter((a) => !mine(a)), { role: cmd.role, stageKey: cmd.stageKey, decision: cmd.decision, userId: cmd.userId }];
      return { ...reconcileReadiness({ ...r, approvals }), refused: false };
    }
    case 'clock':
    case 'gates':
      return unchanged;
  }
}

const BEFORE_START: readonly TReleaseState[] = ['draft', 'ready', 'aborted'];
const NEXT_STATES: Record<TReleaseState, readonly TReleaseState[]> = {
  draft: ['ready', 'running', 'aborted'],
  ready: ['draft', 'running', 'aborted'],
  running: ['paused', 'rolling_back', 'rolled_back', 'completed'],
  paused: ['running', 'rolling_back', 'rolled_back'],
  rolling_back: ['rolled_back'],
  rolled_back: [],
  completed: [],
  aborted: [],
};

/** A cheap assertion: vitest's expect is too slow for tens of thousands of steps. */
function check(ok: unknown, message: string): void {
  if (!ok) throw new Error(message);
}
const json = (value: unknown) => JSON.stringify(value);

function checkConsistent(r: TReleaseSnapshot) {
  const idx = r.currentStageIndex;
  const at = `(${r.state} at stage ${idx})`;
  check(RELEASE_STATES.includes(r.state), `unknown state ${at}`);
  if (BEFORE_START.includes(r.state)) {
    check(idx === -1 && r.startedAt === null && r.desiredPercent === 0, `not started but has a stage, startedAt or traffic ${at}`);
  } else {
    check(idx >= 0 && idx < r.stages.length && r.startedAt !== null, `started without a valid stage or startedAt ${at}`);
  }
  check(r.desiredPercent <= (r.stages[idx]?.trafficPercent ?? 0), `desired ${r.desiredPercent}% above the stage's ${at}`);
  if (r.state === 'rolling_back' || r.state === 'rolled_back') check(r.desiredPercent === 0, `rollback wants ${r.desiredPercent}% ${at}`);
  check((r.finishedAt !== null) === FINISHED_STATES.includes(r.state), `finishedAt ${json(r.finishedAt)} ${at}`);
  r.stages.forEach((s, i) => {
    const times = `${s.key} entered ${json(s.enteredAt)} exited ${json(s.exitedAt)} ${at}`;
    if (i < idx) check(s.enteredAt && s.exitedAt, `earlier stage not entered and exited: ${times}`);
    if (i === idx) check(s.enteredAt && (s.exitedAt !== null) === (r.state === 'completed'), `current stage: ${times}`);
    if (i > idx) check(s.enteredAt === null && s.exitedAt === null, `later stage touched: ${times}`);
    if (s.enteredAt && s.exitedAt) check(s.exitedAt >= s.enteredAt, `exited before entered: ${times}`);
  });
  if (r.state === 'ready') check(startBlockers(r).length === 0, `ready with start blockers ${json(startBlockers(r))}`);
  if (r.state === 'draft') check(startBlockers(r).length > 0, 'a draft without start blockers (readiness is reconciled)');
}

function checkStep(world: TWorld, cmd: TCommand, out: TOutcome) {
  const prev = world.release;
  const next = out.release;
  const moved = (['state', 'currentStageIndex', 'desiredPercent', 'acknowledgedPercent'] as const).filter((k) => prev[k] !== next[k]);
  if (out.refused) check(next === prev, 'a refusal changed the release');
  if (moved.length > 0) check(out.events.length > 0, `${moved.join(', ')} changed without an event`);
  if (prev.state !== next.state) check(NEXT_STATES[prev.state].includes(next.state), `illegal move ${prev.state} -> ${next.state}`);
  if (FINISHED_STATES.includes(prev.state)) {
    // Only the tooling's acknowledged percent may still move, and only onto the final desired percent.
    const lifecycle = moved.filter((k) => k !== 'acknowledgedPercent');
    check(lifecycle.length === 0 && next.finishedAt === prev.finishedAt, `a ${prev.state} release changed ${lifecycle.join(', ')}`);
    if (moved.includes('acknowledgedPercent')) {
      check(next.acknowledgedPercent === next.desiredPercent, `a ${prev.state} release's traffic moved away from its desired percent`);
    }
  }
  const stageStep = next.currentStageIndex - prev.currentStageIndex;
  check(stageStep === 0 || stageStep === 1, `stage index went ${prev.currentStageIndex} -> ${next.currentStageIndex}`);
  const rolledBack = out.events.some((e) => e.type === 'release.rolled_back');
  check(rolledBack === (prev.state !== 'rolled_back' && next.state === 'rolled_back'), 'release.rolled_back event mismatch');
  if (cmd.kind !== 'action') return;
  const context = { now: world.now, gates: world.gates };
  const availability = actionAvailability(prev, context).find((a) => a.action === cmd.action)!;
  const hasReason = (cmd.reason ?? '').trim() !== '';
  const expectedOk = availability.legal && (cmd.force ? availability.forceable && hasReason : availability.allowed);
  check(!out.refused === expectedOk, `decideAction ${out.refused ? 'refused' : 'allowed'} what actionAvailability says ${json(availability)}`);
  if (out.refused) return;
  check(out.events[0]?.reason === (cmd.reason?.trim() || undefined), 'the event lost the trimmed reason');
  if (cmd.action === 'ramp' && !cmd.force) {
    check(rampBlockers(prev, world.now, world.gates).length === 0, 'an unforced ramp went past blockers');
  }
  if (cmd.force) check(json(out.events[0]?.data.forcedPast ?? []) === json(availability.blockers), 'forcedPast differs from the blockers');
}

function advance(world: TWorld, cmd: TCommand, release: TReleaseSnapshot): TWorld {
  return {
    release,
    now: cmd.kind === 'clock' ? new Date(world.now.getTime() + cmd.seconds * 1000) : world.now,
    gates: cmd.kind === 'gates' ? cmd.verdicts.map((v, i) => gate(v, `g${i}`)) : world.gates,
  };
}

const initialWorld = (): TWorld => ({ release: reconcileReadiness(buildRelease()).release, now: T0, gates: [] });
const sequences = fc.array(command, { maxLength: 200, size: 'max' });

describe('release state machine under random command sequences', () => {
  it('keeps its invariants', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        let world = initialWorld();
        checkConsistent(world.release);
        for (const cmd of commands) {
          const before = json(world);
          const out = apply(world, cmd);
          check(json(world) === before, 'an input was mutated');
          checkStep(world, cmd, out);
          checkConsistent(out.release);
          world = advance(world, cmd, out.release);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reaches every state (the generators are not too timid)', () => {
    const seen = new Set<TReleaseState>();
    fc.assert(
      fc.property(sequences, (commands) => {
        let world = initialWorld();
        for (const cmd of commands) {
          world = advance(world, cmd, apply(world, cmd).release);
          seen.add(world.release.state);
        }
      }),
      { numRuns: 100, seed: 42 },
    );
    expect([...seen].sort()).toEqual([...RELEASE_STATES].sort());
  });
});
