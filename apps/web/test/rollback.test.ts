import type { TRelease } from '@rampart/contracts';
import { describe, expect, it } from 'vitest';
import { procedureOf, procedureText, reachedPercent, rollbackFirst, suggestedReopenPercent } from '../src/lib/rollback';

type Item = TRelease['checklist'][number];
const item = (phase: Item['phase'], required: boolean, status: Item['status']): Item => ({
  id: crypto.randomUUID(),
  key: `k-${Math.random()}`,
  section: 'Rollback',
  text: 'Redeploy the previous image',
  phase,
  stageKey: null,
  required,
  ownerRole: 'release_owner',
  status,
  note: null,
  updatedBy: null,
  updatedAt: null,
});

function release(over: Partial<TRelease>): TRelease {
  return { state: 'rolled_back', checklist: [], stages: [], rollbackProcedure: null, ...over } as TRelease;
}

describe('the rollback procedure', () => {
  it("takes the server's word for it", () => {
    const r = release({ rollbackProcedure: { open: true, openRequired: 2 } });
    expect(procedureOf(r)).toEqual({ open: true, requiredLeft: 2 });
    expect(procedureText(procedureOf(r), 'rolled_back')).toBe('Rolled back, procedure open: 2 required steps left');
    expect(procedureText({ open: true, requiredLeft: 1 }, 'rolling_back')).toBe('Rolling back, procedure open: 1 required step left');
    expect(procedureOf(release({ rollbackProcedure: null, checklist: [item('on_rollback', true, 'open')] })).open).toBe(false);
  });

  it('counts open required on_rollback items when an older server says nothing', () => {
    const r = { ...release({}), rollbackProcedure: undefined } as unknown as TRelease;
    const withItems = { ...r, checklist: [item('on_rollback', true, 'open'), item('on_rollback', false, 'open'), item('on_rollback', true, 'done'), item('stage', true, 'open')] };
    expect(procedureOf(withItems)).toEqual({ open: true, requiredLeft: 1 });
    expect(procedureOf({ ...withItems, state: 'running' }).open).toBe(false);
  });

  it('comes first in the checklist once a rollback has started', () => {
    expect(rollbackFirst({ state: 'rolling_back' })).toBe(true);
    expect(rollbackFirst({ state: 'rolled_back' })).toBe(true);
    expect(rollbackFirst({ state: 'running' })).toBe(false);
  });
});

describe('reopening at a smaller percentage', () => {
  const stage = (trafficPercent: number, entered: boolean) =>
    ({ trafficPercent, enteredAt: entered ? '2026-11-29T12:00:00.000Z' : null }) as TRelease['stages'][number];

  it('starts from the most traffic the attempt reached', () => {
    expect(reachedPercent({ stages: [stage(0, true), stage(10, true), stage(50, false)] })).toBe(10);
    expect(reachedPercent({ stages: [stage(0, true), stage(10, false)] })).toBe(0);
    expect(suggestedReopenPercent(10)).toBe(5);
    expect(suggestedReopenPercent(1)).toBe(0.5);
    expect(suggestedReopenPercent(0.01)).toBe(0.01);
  });
});
