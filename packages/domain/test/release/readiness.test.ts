import { describe, expect, it } from 'vitest';
import { reconcileReadiness, startBlockers } from '../../src/index.js';
import type { TReleaseSnapshot } from '../../src/index.js';
import { approval, buildRelease, buildStages, readyRelease, runningRelease, withItem } from './fixtures.js';

function withApprovals(release: TReleaseSnapshot, approvals: TReleaseSnapshot['approvals']): TReleaseSnapshot {
  return { ...release, approvals };
}

describe('reconcileReadiness', () => {
  it('leaves a blocked draft alone', () => {
    const draft = withItem(buildRelease(), 'backup', 'done');
    expect(reconcileReadiness(draft)).toEqual({ release: draft, events: [] });
  });

  it('goes draft -> ready -> draft as the start blockers clear and return', () => {
    let release = buildRelease();
    release = reconcileReadiness(withItem(release, 'backup', 'done')).release;
    expect(release.state).toBe('draft');

    const ready = reconcileReadiness(withApprovals(release, [approval('product', null, 'approve', 'p1')]));
    expect(ready.release.state).toBe('ready');
    expect(ready.events).toEqual([{ type: 'release.ready', data: {} }]);
    expect(startBlockers(ready.release)).toEqual([]);

    expect(reconcileReadiness(ready.release)).toEqual({ release: ready.release, events: [] });

    const reopened = reconcileReadiness(withItem(ready.release, 'backup', 'open'));
    expect(reopened.release.state).toBe('draft');
    expect(reopened.events).toEqual([
      { type: 'release.unready', data: { blockers: [expect.objectContaining({ kind: 'checklist_open', detail: { items: 'backup', count: 1 } })] } },
    ]);
  });

  it('a rejection before start makes a ready release a draft again', () => {
    const rejected = withApprovals(readyRelease(), [approval('product', null), approval('product', null, 'reject', 'p2')]);
    const result = reconcileReadiness(rejected);
    expect(result.release.state).toBe('draft');
    expect(result.events[0]?.data.blockers).toEqual([expect.objectContaining({ kind: 'approval_rejected' })]);
  });

  it('a skipped required item and an open optional item do not hold a draft back', () => {
    const draft = withApprovals(withItem(buildRelease(), 'backup', 'skipped'), [approval('product', null)]);
    expect(reconcileReadiness(draft).release.state).toBe('ready');
  });

  it("stage items and the later stages' sign-offs are not start blockers; the first stage's sign-off is", () => {
    const draft = withApprovals(withItem(buildRelease(), 'backup', 'done'), [approval('product', null)]);
    expect(reconcileReadiness(draft).release.state).toBe('ready');
    const stages = buildStages().map((s, i) => (i === 0 ? { ...s, signoff: [{ role: 'security' as const, count: 1 }] } : s));
    expect(reconcileReadiness({ ...draft, stages }).release.state).toBe('draft');
    expect(reconcileReadiness({ ...draft, stages, approvals: [...draft.approvals, approval('security', 'staging')] }).release.state).toBe('ready');
  });

  it('never touches a release outside draft and ready', () => {
    const blocked = withItem(runningRelease(1), 'backup', 'open');
    for (const state of ['running', 'paused', 'rolling_back', 'rolled_back', 'completed', 'aborted'] as const) {
      const release = { ...blocked, state };
      expect(reconcileReadiness(release)).toEqual({ release, events: [] });
    }
  });
});
