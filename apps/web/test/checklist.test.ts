import type { TRelease } from '@rampart/contracts';
import { describe, expect, it } from 'vitest';
import { mayUpdateItem, phaseOpenByDefault, sectionOpenByDefault, tickableInSection } from '../src/lib/checklist';

type Item = Pick<TRelease['checklist'][number], 'phase' | 'ownerRole' | 'status' | 'stageKey'>;
const item = (over: Partial<Item> = {}): Item => ({ phase: 'before_start', ownerRole: 'release_owner', status: 'open', stageKey: null, ...over });
const stages = [{ key: 'canary' }, { key: 'full' }] as TRelease['stages'];
const release = (state: TRelease['state'], currentStageIndex = -1) => ({ state, stages, currentStageIndex });
const owner = { role: 'release_owner' as const, approvalRoles: [] };
const product = { role: 'approver' as const, approvalRoles: ['product' as const] };

describe('who may tick', () => {
  it('owners tick anything open in its phase; approvers only their role; rollback items wait for a rollback', () => {
    expect(mayUpdateItem(owner, release('draft'), item())).toBe(true);
    expect(mayUpdateItem(product, release('draft'), item())).toBe(false);
    expect(mayUpdateItem(product, release('draft'), item({ ownerRole: 'product' }))).toBe(true);
    expect(mayUpdateItem(owner, release('draft'), item({ phase: 'on_rollback' }))).toBe(false);
    expect(mayUpdateItem(owner, release('rolling_back', 0), item({ phase: 'on_rollback' }))).toBe(true);
    expect(mayUpdateItem(owner, release('completed', 1), item({ phase: 'stage' }))).toBe(false);
    expect(mayUpdateItem(owner, release('completed', 1), item({ phase: 'after_completion' }))).toBe(true);
  });

  it('"Mark section done" counts the open items this person may tick', () => {
    const items = [item(), item({ ownerRole: 'product' }), item({ ownerRole: 'product', status: 'done' }), item({ ownerRole: 'security' })];
    expect(tickableInSection(owner, release('draft'), items)).toBe(3);
    expect(tickableInSection(product, release('draft'), items)).toBe(1);
    expect(tickableInSection({ role: 'viewer', approvalRoles: [] }, release('draft'), items)).toBe(0);
  });
});

describe('folding', () => {
  it('opens the phase the release is in', () => {
    expect(phaseOpenByDefault('before_start', release('draft'))).toBe(true);
    expect(phaseOpenByDefault('stage', release('draft'))).toBe(false);
    expect(phaseOpenByDefault('stage', release('running', 0))).toBe(true);
    expect(phaseOpenByDefault('on_rollback', release('rolling_back', 0))).toBe(true);
    expect(phaseOpenByDefault('stage', release('rolling_back', 0))).toBe(false);
  });

  it("during the stages opens only the current stage's sections, and folds finished sections", () => {
    const running = release('running', 0);
    expect(sectionOpenByDefault('stage', running, [item({ phase: 'stage', stageKey: 'canary' })])).toBe(true);
    expect(sectionOpenByDefault('stage', running, [item({ phase: 'stage', stageKey: 'full' })])).toBe(false);
    expect(sectionOpenByDefault('stage', running, [item({ phase: 'stage', stageKey: 'canary', status: 'done' })])).toBe(false);
    expect(sectionOpenByDefault('before_start', release('draft'), [item()])).toBe(true);
    expect(sectionOpenByDefault('before_start', running, [item()])).toBe(false);
  });
});
