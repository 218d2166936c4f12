import { describe, expect, it } from 'vitest';
import type { TChecklistItemSnapshot } from '../../src/index.js';
import { checkChecklistUpdate, procedureDone, reconcileReadiness, rollbackProcedure } from '../../src/index.js';
import { buildChecklist, runningRelease, withItem } from './fixtures.js';

const PROCEDURE: TChecklistItemSnapshot[] = [
  { key: 'previous-image', text: 'Previous image redeployed', phase: 'on_rollback', stageKey: null, required: true, status: 'open' },
  { key: 'db-restore', text: 'Database restored', phase: 'on_rollback', stageKey: null, required: true, status: 'open' },
  { key: 'postmortem', text: 'Post-mortem scheduled', phase: 'on_rollback', stageKey: null, required: false, status: 'open' },
];

const running = runningRelease(1, undefined, { checklist: [...buildChecklist(), ...PROCEDURE] });
const rolledBack = { ...running, state: 'rolled_back' as const };

describe('the rollback procedure', () => {
  it('is not there before a rollback, nor in a playbook without one', () => {
    expect(rollbackProcedure(running)).toBeNull();
    expect(rollbackProcedure({ ...rolledBack, checklist: buildChecklist() })).toBeNull();
  });

  it('opens when a rollback starts and counts the required items left', () => {
    expect(rollbackProcedure({ ...running, state: 'rolling_back' })).toEqual({ open: true, openRequired: 2 });
    const one = withItem(rolledBack, 'previous-image', 'done');
    expect(rollbackProcedure(one)).toEqual({ open: true, openRequired: 1 });
    const both = withItem(one, 'db-restore', 'done');
    expect(rollbackProcedure(both)).toEqual({ open: false, openRequired: 0 });
  });

  it('records its end once, when the last required item is done', () => {
    const one = withItem(rolledBack, 'previous-image', 'done');
    expect(procedureDone(rolledBack, one)).toBeNull();
    const both = withItem(one, 'db-restore', 'done');
    expect(procedureDone(one, both)).toEqual({ type: 'rollback.procedure_done', data: { requiredItems: 2 } });
    expect(procedureDone(both, withItem(both, 'postmortem', 'done'))).toBeNull();
  });

  it('can be ticked only once a rollback has started, and then even after the release finished', () => {
    const item = PROCEDURE[0]!;
    expect(checkChecklistUpdate(running, item)).toMatchObject({ kind: 'conflict', message: expect.stringContaining('on_rollback') });
    expect(checkChecklistUpdate({ ...running, state: 'completed' }, item)).toMatchObject({ kind: 'conflict' });
    expect(checkChecklistUpdate({ ...running, state: 'rolling_back' }, item)).toBeNull();
    expect(checkChecklistUpdate(rolledBack, item)).toBeNull();
    // Other items stay closed after the rollback.
    expect(checkChecklistUpdate(rolledBack, buildChecklist()[0]!)).toMatchObject({ kind: 'conflict' });
  });

  it('never holds a draft back from being ready', () => {
    const draft = runningRelease(1, undefined, { state: 'draft', currentStageIndex: -1, checklist: [...buildChecklist().map((i) => ({ ...i, status: 'done' as const })), ...PROCEDURE] });
    expect(reconcileReadiness(draft).release.state).toBe('ready');
  });
});
