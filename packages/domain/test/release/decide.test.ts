import { describe, expect, it } from 'vitest';
import { RELEASE_ACTIONS, RELEASE_STATES } from '@rampart/contracts';
import type { TReleaseAction, TReleaseEventType, TReleaseState } from '@rampart/contracts';
import { actionAvailability, blockersOf, decideAction } from '../../src/index.js';
import type { TActionCommand, TDecision, TGateStatus, TReleaseSnapshot } from '../../src/index.js';
import {
  HOUR,
  MINUTE,
  T0,
  approval,
  at,
  buildRelease,
  buildStages,
  gate,
  readyRelease,
  runningRelease,
  withItem,
} from './fixtures.js';

/** Written out independently of ACTION_SOURCES: where each action may be taken from. */
const LEGAL: Record<TReleaseState, readonly TReleaseAction[]> = {
  draft: ['start', 'abort'],
  ready: ['start', 'abort'],
  running: ['ramp', 'pause', 'rollback', 'complete'],
  paused: ['resume', 'rollback'],
  rolling_back: [],
  rolled_back: [],
  completed: [],
  aborted: [],
};

const RESULT: Record<TReleaseAction, { state: TReleaseState; event: TReleaseEventType }> = {
  start: { state: 'running', event: 'release.started' },
  ramp: { state: 'running', event: 'release.ramped' },
  pause: { state: 'paused', event: 'release.paused' },
  resume: { state: 'running', event: 'release.resumed' },
  rollback: { state: 'rolling_back', event: 'release.rollback_started' },
  complete: { state: 'completed', event: 'release.completed' },
  abort: { state: 'aborted', event: 'release.aborted' },
};

/** A release in the given state with nothing blocking the action (complete needs the last stage, the rest sit at canary). */
function unblockedIn(state: TReleaseState, action: TReleaseAction): TReleaseSnapshot {
  const stageIndex = action === 'complete' ? 2 : 1;
  const running = runningRelease(stageIndex, at(-2 * HOUR));
  switch (state) {
    case 'draft':
      return readyRelease({ state: 'draft' });
    case 'ready':
      return readyRelease();
    case 'running':
      return running;
    case 'paused':
      return { ...running, state: 'paused' };
    case 'rolling_back':
      return { ...running, state: 'rolling_back', desiredPercent: 0 };
    case 'rolled_back':
      return { ...running, state: 'rolled_back', desiredPercent: 0, acknowledgedPercent: 0, finishedAt: at(-MINUTE) };
    case 'completed': {
      const done = runningRelease(2, at(-2 * HOUR));
      const stages = done.stages.map((s, i) => (i === 2 ? { ...s, exitedAt: at(-MINUTE) } : s));
      return { ...done, stages, state: 'completed', finishedAt: at(-MINUTE) };
    }
    case 'aborted':
      return readyRelease({ state: 'aborted', finishedAt: at(-MINUTE) });
  }
}

function decide(release: TReleaseSnapshot, command: TActionCommand, now: Date = T0, gates: TGateStatus[] = []): TDecision {
  return decideAction(release, command, { now, gates });
}

function blockedKinds(decision: TDecision): string[] {
  if (decision.ok || decision.refusal.kind !== 'blocked') throw new Error(`expected a blocked refusal, got ${JSON.stringify(decision)}`);
  return decision.refusal.blockers.map((b) => b.kind);
}

function ok(decision: TDecision) {
  if (!decision.ok) throw new Error(`refused: ${JSON.stringify(decision.refusal)}`);
  return decision;
}

describe('decideAction: every action from every state', () => {
  const cases = RELEASE_STATES.flatMap((state) => RELEASE_ACTIONS.map((action) => ({ state, action })));

  it.each(cases)('$action from $state', ({ state, action }) => {
    const release = unblockedIn(state, action);
    const before = structuredClone(release);
    const decision = decide(release, { action, reason: 'because' });
    expect(release).toEqual(before);
    if (LEGAL[state].includes(action)) {
      const { release: after, events } = ok(decision);
      expect(after.state).toBe(RESULT[action].state);
      expect(events[0]?.type).toBe(RESULT[action].event);
      expect(events[0]?.reason).toBe('because');
      expect(events[0]?.data).toMatchObject({ fromState: state, toState: RESULT[action].state });
    } else {
      expect(decision).toEqual({
        ok: false,
        refusal: { kind: 'illegal_transition', state, action, message: expect.stringContaining(action) },
      });
    }
  });

  it('forcing never makes an illegal action legal', () => {
    for (const state of RELEASE_STATES) {
      for (const action of RELEASE_ACTIONS.filter((a) => !LEGAL[state].includes(a))) {
        const decision = decide(unblockedIn(state, action), { action, force: true, reason: 'x' });
        expect(decision.ok === false && decision.refusal.kind).toBe('illegal_transition');
      }
    }
  });
});

describe('start', () => {
  it('enters the first stage, sets its percent and startedAt', () => {
    const { release, events } = ok(decide(readyRelease(), { action: 'start' }, at(5)));
    expect(release).toMatchObject({ state: 'running', currentStageIndex: 0, desiredPercent: 0, startedAt: at(5), finishedAt: null });
    expect(release.stages[0]).toMatchObject({ enteredAt: at(5), exitedAt: null });
    expect(release.stages.slice(1).every((s) => s.enteredAt === null)).toBe(true);
    expect(events).toEqual([
      {
        type: 'release.started',
        reason: undefined,
        data: { fromState: 'ready', toState: 'running', fromStage: null, toStage: 'staging', fromPercent: 0, toPercent: 0 },
      },
    ]);
  });

  it('sets the desired percent of a first stage that carries traffic', () => {
    const stages = buildStages().map((s, i) => (i === 0 ? { ...s, trafficPercent: 1 } : s));
    expect(ok(decide(readyRelease({ stages }), { action: 'start' })).release.desiredPercent).toBe(1);
  });

  it('is blocked by missing before-start approvals and open required before-start items, not optional ones', () => {
    const decision = decide(buildRelease(), { action: 'start' });
    expect(blockedKinds(decision)).toEqual(['approval_missing', 'checklist_open']);
    expect(decision.ok || decision.refusal.kind !== 'blocked' || decision.refusal.blockers).toEqual([
      expect.objectContaining({ detail: { role: 'product', stage: 'before_start', missing: 1 } }),
      expect.objectContaining({ detail: { items: 'backup', count: 1 } }),
    ]);
  });

  it("is blocked by the first stage's own sign-off", () => {
    const stages = buildStages().map((s, i) => (i === 0 ? { ...s, signoff: [{ role: 'security' as const, count: 1 }] } : s));
    const decision = decide(readyRelease({ stages }), { action: 'start' });
    expect(decision.ok || decision.refusal.kind !== 'blocked' || decision.refusal.blockers[0]?.detail).toEqual({
      role: 'security',
      stage: 'staging',
      missing: 1,
    });
  });
});

describe('ramp', () => {
  const ready = runningRelease(0, T0);

  it('enters the next stage, exits the current one and raises the desired percent', () => {
    const { release, events } = ok(decide(ready, { action: 'ramp' }, at(10)));
    expect(release).toMatchObject({ state: 'running', currentStageIndex: 1, desiredPercent: 5, acknowledgedPercent: 0 });
    expect(release.stages[0]).toMatchObject({ enteredAt: T0, exitedAt: at(10) });
    expect(release.stages[1]).toMatchObject({ enteredAt: at(10), exitedAt: null });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'release.ramped',
      data: { fromStage: 'staging', toStage: 'canary', fromPercent: 0, toPercent: 5 },
    });
    expect(events[0]?.data).not.toHaveProperty('forcedPast');
  });

  it('is blocked by bake time, with the seconds left', () => {
    const decision = decide(runningRelease(1, T0), { action: 'ramp' }, at(10 * MINUTE));
    expect(decision).toMatchObject({
      ok: false,
      refusal: { kind: 'blocked', action: 'ramp', blockers: [{ kind: 'bake_time', detail: { stage: 'canary', secondsLeft: 20 * MINUTE } }] },
    });
  });

  it('rounds the seconds left up and stops blocking exactly at the minimum bake time', () => {
    const almost = decide(runningRelease(1, T0), { action: 'ramp' }, new Date(at(30 * MINUTE).getTime() - 500));
    expect(almost).toMatchObject({ refusal: { blockers: [{ kind: 'bake_time', detail: { secondsLeft: 1 } }] } });
    expect(decide(runningRelease(1, T0), { action: 'ramp' }, at(30 * MINUTE)).ok).toBe(true);
  });

  it("is blocked by the next stage's missing sign-off", () => {
    const decision = decide({ ...ready, approvals: [approval('product', null)] }, { action: 'ramp' });
    expect(decision).toMatchObject({
      refusal: { blockers: [{ kind: 'approval_missing', detail: { role: 'engineering', stage: 'canary', missing: 1 } }] },
    });
  });

  it('counts different approvers: the same person twice is one sign-off', () => {
    const stages = buildStages().map((s, i) => (i === 1 ? { ...s, signoff: [{ role: 'engineering' as const, count: 2 }] } : s));
    const once = { ...ready, stages, approvals: [approval('engineering', 'canary', 'approve', 'e1'), approval('engineering', 'canary', 'approve', 'e1')] };
    expect(decide(once, { action: 'ramp' })).toMatchObject({ refusal: { blockers: [{ kind: 'approval_missing', detail: { missing: 1 } }] } });
    const twice = { ...once, approvals: [approval('engineering', 'canary', 'approve', 'e1'), approval('engineering', 'canary', 'approve', 'e2')] };
    expect(decide(twice, { action: 'ramp' }).ok).toBe(true);
  });

  it("is blocked by a rejection of the next stage's sign-off, even with enough approvals", () => {
    const approvals = [approval('engineering', 'canary', 'approve', 'e1'), approval('engineering', 'canary', 'reject', 'e2')];
    const decision = decide({ ...ready, approvals }, { action: 'ramp' });
    expect(decision).toMatchObject({
      refusal: { blockers: [{ kind: 'approval_rejected', detail: { role: 'engineering', stage: 'canary', userId: 'e2' } }] },
    });
    expect(blockedKinds(decision)).toEqual(['approval_rejected']);
  });

  it("quotes the rejecting approver's comment, so the owner knows what to fix", () => {
    const approvals = [{ ...approval('engineering', 'canary', 'reject', 'e2'), comment: '  Load test failed at 40 rps ' }];
    expect(blockersOf({ ...ready, approvals }, 'ramp', { now: T0, gates: [] })).toEqual([
      expect.objectContaining({ kind: 'approval_rejected', message: 'engineering rejected Ramping to Canary: “Load test failed at 40 rps”' }),
      expect.objectContaining({ kind: 'approval_missing' }),
    ]);
    const silent = [{ ...approval('engineering', 'canary', 'reject', 'e2'), comment: '' }];
    expect(blockersOf({ ...ready, approvals: silent }, 'ramp', { now: T0, gates: [] })[0]?.message).toBe('engineering rejected Ramping to Canary');
  });

  it('ignores sign-offs given for other stages', () => {
    const approvals = [approval('product', null), approval('engineering', 'full')];
    expect(blockedKinds(decide({ ...ready, approvals }, { action: 'ramp' }))).toEqual(['approval_missing']);
  });

  it('is blocked by an open required item of the current stage; done or skipped clears it', () => {
    const atCanary = runningRelease(1, at(-HOUR));
    const open = withItem(atCanary, 'canary-dashboard', 'open');
    expect(decide(open, { action: 'ramp' })).toMatchObject({
      refusal: { blockers: [{ kind: 'checklist_open', detail: { items: 'canary-dashboard', count: 1 } }] },
    });
    expect(decide(withItem(atCanary, 'canary-dashboard', 'skipped'), { action: 'ramp' }).ok).toBe(true);
    const optional = { ...open, checklist: open.checklist.map((i) => ({ ...i, required: i.key !== 'canary-dashboard' })) };
    expect(decide(optional, { action: 'ramp' }).ok).toBe(true);
  });

  it("is not blocked by another stage's open item", () => {
    expect(decide(withItem(ready, 'canary-dashboard', 'open'), { action: 'ramp' }).ok).toBe(true);
  });

  it('is blocked by failing, warning and inconclusive gates, not by passing ones', () => {
    const decision = decide(ready, { action: 'ramp' }, T0, [gate('pass'), gate('warn', 'slow'), gate('fail', 'errors'), gate('inconclusive', 'p95')]);
    expect(decision).toMatchObject({
      refusal: {
        blockers: [
          { kind: 'gate_failing', detail: { gate: 'slow', verdict: 'warn' } },
          { kind: 'gate_failing', detail: { gate: 'errors', verdict: 'fail' } },
          { kind: 'gate_inconclusive', detail: { gate: 'p95' } },
        ],
      },
    });
    expect(decide(ready, { action: 'ramp' }, T0, [gate('pass'), gate('pass', 'other')]).ok).toBe(true);
  });

  it('reports every blocker at once', () => {
    const stages = runningRelease(1, T0).stages.map((s, i) => (i === 2 ? { ...s, signoff: [{ role: 'security' as const, count: 1 }] } : s));
    const release = withItem(runningRelease(1, T0, { stages }), 'canary-dashboard', 'open');
    const gates = [gate('fail'), gate('inconclusive')];
    const decision = decide(release, { action: 'ramp' }, at(MINUTE), gates);
    expect([...blockedKinds(decision)].sort()).toEqual(
      ['approval_missing', 'bake_time', 'checklist_open', 'gate_failing', 'gate_inconclusive'].sort(),
    );
    expect(decision.ok || decision.refusal.message.split('; ')).toHaveLength(5);
    expect(blockersOf(release, 'ramp', { now: at(MINUTE), gates })).toHaveLength(5);
  });

  it('is illegal at the last stage, even forced', () => {
    const decision = decide(runningRelease(2, at(-2 * HOUR)), { action: 'ramp', force: true, reason: 'x' });
    expect(decision).toMatchObject({ ok: false, refusal: { kind: 'illegal_transition', state: 'running', action: 'ramp' } });
    expect(decision.ok || decision.refusal.message).toMatch(/last stage/);
  });
});

describe('force', () => {
  const blocked = runningRelease(1, T0);

  it('passes blockers with a reason and records what it forced past', () => {
    const now = at(MINUTE);
    const gates = [gate('fail')];
    const expected = blockersOf(blocked, 'ramp', { now, gates });
    const { release, events } = ok(decide(blocked, { action: 'ramp', force: true, reason: '  hotfix for outage ' }, now, gates));
    expect(release).toMatchObject({ currentStageIndex: 2, desiredPercent: 100 });
    expect(events[0]).toMatchObject({ type: 'release.ramped', reason: 'hotfix for outage' });
    expect(events[0]?.data.forcedPast).toEqual(expected);
    expect(expected.map((b) => b.kind)).toEqual(['bake_time', 'gate_failing']);
  });

  it('records nothing forced when nothing blocked', () => {
    const { events } = ok(decide(runningRelease(0), { action: 'ramp', force: true, reason: 'why not' }));
    expect(events[0]?.data).not.toHaveProperty('forcedPast');
  });

  it.each([undefined, '', '   '])('is refused without a reason (%j)', (reason) => {
    const decision = decide(blocked, { action: 'ramp', force: true, reason }, at(MINUTE));
    expect(decision).toMatchObject({ ok: false, refusal: { kind: 'invalid', field: 'reason' } });
  });

  it('forces start and complete too, past what is not a sign-off', () => {
    expect(decide(withItem(readyRelease(), 'backup', 'open'), { action: 'start', force: true, reason: 'x' })).toMatchObject({
      ok: true,
      events: [{ data: { forcedPast: [{ kind: 'checklist_open' }] } }],
    });
    expect(decide(runningRelease(2, T0), { action: 'complete', force: true, reason: 'x' }, at(MINUTE))).toMatchObject({
      ok: true,
      release: { state: 'completed' },
    });
  });

  it('never passes a missing sign-off, and says which ones are missing', () => {
    const atStaging = runningRelease(0, T0, { approvals: [approval('product', null)] });
    const before = structuredClone(atStaging);
    const decision = decide(atStaging, { action: 'ramp', force: true, reason: 'hotfix' }, T0, [gate('fail')]);
    expect(atStaging).toEqual(before);
    expect(decision).toEqual({
      ok: false,
      refusal: {
        kind: 'blocked',
        action: 'ramp',
        blockers: [
          {
            kind: 'approval_missing',
            message: 'Ramping to Canary needs 1 more engineering sign-off',
            detail: { role: 'engineering', stage: 'canary', missing: 1 },
          },
        ],
        message: expect.stringContaining('Ramping to Canary needs 1 more engineering sign-off'),
      },
    });
    expect(decision.ok || decision.refusal.message).toMatch(/^Cannot force ramp: sign-offs cannot be forced/);
  });

  it('never passes a missing sign-off before start', () => {
    const decision = decide(buildRelease(), { action: 'start', force: true, reason: 'x' });
    expect(blockedKinds(decision)).toEqual(['approval_missing']);
    expect(decision.ok || decision.refusal.message).toContain('Starting the release needs 1 more product sign-off');
  });

  it('never passes a rejected sign-off, even with enough approvals', () => {
    const approvals = [approval('product', null), approval('engineering', 'canary', 'approve', 'e1'), approval('engineering', 'canary', 'reject', 'e2')];
    const decision = decide(runningRelease(0, T0, { approvals }), { action: 'ramp', force: true, reason: 'x' });
    expect(decision).toMatchObject({
      ok: false,
      refusal: { kind: 'blocked', blockers: [{ kind: 'approval_rejected', detail: { role: 'engineering', stage: 'canary', userId: 'e2' } }] },
    });
    expect(decision.ok || decision.refusal.message).toContain('engineering rejected Ramping to Canary');
  });

  it('passes bake time, gates and open items once the sign-offs are given', () => {
    const signed = withItem(runningRelease(0, T0), 'backup', 'done');
    const stages = signed.stages.map((s, i) => (i === 0 ? { ...s, minBakeSeconds: HOUR } : s));
    const release = { ...signed, stages, checklist: [...signed.checklist, { key: 'smoke', text: 'Smoke test', phase: 'stage' as const, stageKey: 'staging', required: true, status: 'open' as const }] };
    const { events } = ok(decide(release, { action: 'ramp', force: true, reason: 'x' }, at(MINUTE), [gate('inconclusive')]));
    expect((events[0]?.data.forcedPast as { kind: string }[]).map((b) => b.kind)).toEqual(['bake_time', 'checklist_open', 'gate_inconclusive']);
  });

  it('is refused for actions that cannot be forced', () => {
    for (const action of ['pause', 'rollback'] as const) {
      expect(decide(runningRelease(1), { action, force: true, reason: 'x' })).toMatchObject({
        ok: false,
        refusal: { kind: 'invalid', field: 'force' },
      });
    }
  });
});

describe('pause, resume, abort', () => {
  it('pause keeps the stage and traffic; resume returns to running', () => {
    const running = runningRelease(1, T0);
    const paused = ok(decide(running, { action: 'pause', reason: 'latency looks odd' }, at(60)));
    expect(paused.release).toEqual({ ...running, state: 'paused' });
    expect(paused.events).toEqual([
      expect.objectContaining({ type: 'release.paused', reason: 'latency looks odd' }),
    ]);
    const resumed = ok(decide(paused.release, { action: 'resume' }, at(120)));
    expect(resumed.release).toEqual(running);
    expect(resumed.events[0]?.type).toBe('release.resumed');
  });

  it('a paused release can neither ramp nor complete', () => {
    const paused = { ...runningRelease(1, at(-HOUR)), state: 'paused' as const };
    expect(decide(paused, { action: 'ramp' })).toMatchObject({ refusal: { kind: 'illegal_transition' } });
  });

  it('abort finishes a draft before it starts', () => {
    const { release, events } = ok(decide(buildRelease(), { action: 'abort', reason: 'wrong build' }, at(9)));
    expect(release).toMatchObject({ state: 'aborted', currentStageIndex: -1, desiredPercent: 0, finishedAt: at(9), startedAt: null });
    expect(events).toEqual([expect.objectContaining({ type: 'release.aborted', reason: 'wrong build' })]);
  });
});

describe('complete', () => {
  it('is illegal before the last stage', () => {
    const decision = decide(runningRelease(1, at(-HOUR)), { action: 'complete' });
    expect(decision).toMatchObject({ ok: false, refusal: { kind: 'illegal_transition', state: 'running', action: 'complete' } });
    expect(decision.ok || decision.refusal.message).toMatch(/Full/);
  });

  it('is blocked by the bake time of the last stage', () => {
    expect(decide(runningRelease(2, T0), { action: 'complete' }, at(10 * MINUTE))).toMatchObject({
      refusal: { kind: 'blocked', blockers: [{ kind: 'bake_time', detail: { stage: 'full', secondsLeft: 50 * MINUTE } }] },
    });
  });

  it('finishes at the last stage after its bake time', () => {
    const { release, events } = ok(decide(runningRelease(2, T0), { action: 'complete' }, at(HOUR)));
    expect(release).toMatchObject({ state: 'completed', currentStageIndex: 2, desiredPercent: 100, finishedAt: at(HOUR) });
    expect(release.stages[2]).toMatchObject({ enteredAt: T0, exitedAt: at(HOUR) });
    expect(events).toEqual([expect.objectContaining({ type: 'release.completed' })]);
  });
});

describe('rollback', () => {
  it('sets the desired percent to 0 and waits for the tooling', () => {
    const running = runningRelease(1, T0);
    const { release, events } = ok(decide(running, { action: 'rollback', reason: 'errors up' }, at(60), [gate('fail')]));
    expect(release).toMatchObject({ state: 'rolling_back', currentStageIndex: 1, desiredPercent: 0, acknowledgedPercent: 5, finishedAt: null });
    expect(release.stages).toEqual(running.stages);
    expect(events).toEqual([
      {
        type: 'release.rollback_started',
        reason: 'errors up',
        data: { fromState: 'running', toState: 'rolling_back', fromStage: 'canary', toStage: 'canary', fromPercent: 5, toPercent: 0 },
      },
    ]);
  });

  it('waits for the tooling when a ramp it has not applied yet is on its way', () => {
    const release = runningRelease(1, T0, { acknowledgedPercent: 0 });
    expect(release.desiredPercent).toBeGreaterThan(0);
    const decision = ok(decide(release, { action: 'rollback' }, at(60)));
    expect(decision.release).toMatchObject({ state: 'rolling_back', desiredPercent: 0, finishedAt: null });
  });

  it('finishes at once (two events) when the tooling runs 0% and no more is on its way', () => {
    for (const state of ['running', 'paused'] as const) {
      const release = runningRelease(0, T0, { state, acknowledgedPercent: 0 });
      const decision = ok(decide(release, { action: 'rollback' }, at(60)));
      expect(decision.release).toMatchObject({ state: 'rolled_back', desiredPercent: 0, finishedAt: at(60) });
      expect(decision.events.map((e) => e.type)).toEqual(['release.rollback_started', 'release.rolled_back']);
      expect(decision.events[1]?.data).toEqual({ acknowledgedPercent: 0 });
    }
  });
});

describe('actionAvailability', () => {
  it('says what the buttons show', () => {
    const list = actionAvailability(runningRelease(1, T0), { now: at(MINUTE), gates: [] });
    const byAction = Object.fromEntries(list.map((a) => [a.action, a]));
    expect(list.map((a) => a.action)).toEqual([...RELEASE_ACTIONS]);
    expect(byAction.ramp).toMatchObject({ legal: true, allowed: false, forceable: true, reason: null, blockers: [{ kind: 'bake_time' }] });
    expect(byAction.pause).toMatchObject({ legal: true, allowed: true, forceable: false, blockers: [] });
    expect(byAction.complete).toMatchObject({ legal: false, allowed: false, blockers: [] });
    expect(byAction.complete?.reason).toMatch(/last stage/);
    expect(byAction.start).toMatchObject({ legal: false, reason: 'Cannot start a release that is running' });
  });

  it('offers no force while a sign-off blocks', () => {
    const unsigned = runningRelease(0, T0, { approvals: [approval('product', null)] });
    const ramp = actionAvailability(unsigned, { now: T0, gates: [gate('fail')] }).find((a) => a.action === 'ramp');
    expect(ramp).toMatchObject({ legal: true, allowed: false, forceable: false });
    expect(ramp?.blockers.map((b) => b.kind)).toEqual(['gate_failing', 'approval_missing']);
  });
});

describe('open checklist items', () => {
  function withOpenItems(count: number): TReleaseSnapshot {
    const release = runningRelease(1, at(-HOUR));
    const extra = Array.from({ length: count - 1 }, (_, i) => ({
      key: `item-${i + 2}`,
      text: `Item ${i + 2}`,
      phase: 'stage' as const,
      stageKey: 'canary',
      required: true,
      status: 'open' as const,
    }));
    return withItem({ ...release, checklist: [...release.checklist, ...extra] }, 'canary-dashboard', 'open');
  }

  const blockerOf = (release: TReleaseSnapshot) => blockersOf(release, 'ramp', { now: T0, gates: [] });

  it('names a single open item', () => {
    expect(blockerOf(withOpenItems(1))).toEqual([
      { kind: 'checklist_open', message: 'Checklist item open: Canary dashboard checked', detail: { items: 'canary-dashboard', count: 1 } },
    ]);
  });

  it('names up to three open items in one blocker', () => {
    expect(blockerOf(withOpenItems(3))).toEqual([
      {
        kind: 'checklist_open',
        message: '3 required checklist items are still open: Canary dashboard checked, Item 2 and Item 3',
        detail: { items: 'canary-dashboard,item-2,item-3', count: 3 },
      },
    ]);
  });

  it('names the first three of many and counts the rest', () => {
    const [blocker] = blockerOf(withOpenItems(7));
    expect(blocker?.message).toBe('7 required checklist items are still open: Canary dashboard checked, Item 2, Item 3 and 4 more');
    expect(blocker?.detail.count).toBe(7);
    expect(String(blocker?.detail.items).split(',')).toHaveLength(7);
  });
});
