import { describe, expect, it } from 'vitest';
import { ZPlaybookSpec } from '@rampart/contracts';
import { highestReachedPercent, planReopen } from '../../src/index.js';

const SPEC = ZPlaybookSpec.parse({
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 1800, initialDelaySeconds: 60, signoff: [{ role: 'engineering' }] },
    { key: 'quarter', name: 'Quarter', trafficPercent: 25, minBakeSeconds: 3600 },
    { key: 'full', name: 'Full', trafficPercent: 100, minBakeSeconds: 7200 },
  ],
  gates: [
    { key: 'health', name: 'Staging health', kind: 'consecutive_failures', failures: 3, severity: 'rollback', stages: ['staging'] },
    { key: 'errors', name: 'Errors', kind: 'threshold', metric: 'error_rate', comparator: 'above', value: 0.01, severity: 'rollback', stages: ['canary', 'quarter'] },
  ],
  checklist: [
    {
      title: 'Stages',
      items: [
        { key: 'staging-smoke', text: 'Staging smoke tests', phase: 'stage', stageKey: 'staging' },
        { key: 'canary-dash', text: 'Canary dashboard', phase: 'stage', stageKey: 'canary' },
        { key: 'quarter-dash', text: 'Quarter dashboard', phase: 'stage', stageKey: 'quarter' },
      ],
    },
  ],
});

const entered = new Date('2026-03-02T10:00:00Z');
/** The old attempt entered staging, canary and the quarter before it rolled back. */
const REACHED = SPEC.stages.map((stage, i) => ({ trafficPercent: stage.trafficPercent, enteredAt: i <= 2 ? entered : null }));

describe('reopening at a smaller percentage', () => {
  it('knows how far the attempt got', () => {
    expect(highestReachedPercent(REACHED)).toBe(25);
    expect(highestReachedPercent(SPEC.stages.map((s) => ({ trafficPercent: s.trafficPercent, enteredAt: null })))).toBeNull();
  });

  it('starts at the smaller percent and keeps only the later stages with more traffic', () => {
    const plan = planReopen(SPEC, REACHED, 2, 2);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.spec.stages.map((s) => [s.key, s.name, s.trafficPercent, s.minBakeSeconds])).toEqual([
      ['reopen-2', 'Reopened at 2%', 2, 1800],
      ['canary', 'Canary', 5, 1800],
      ['quarter', 'Quarter', 25, 3600],
      ['full', 'Full', 100, 7200],
    ]);
    // A small canary before the canary: its bake and warm-up; the canary keeps its own sign-off.
    expect(plan.firstStage).toMatchObject({ initialDelaySeconds: 60, signoff: [] });
    expect(plan.spec.stages[1]!.signoff).toEqual([{ role: 'engineering', count: 1 }]);
    expect(() => ZPlaybookSpec.parse(plan.spec)).not.toThrow();
  });

  it('gives what belonged to the skipped stages to the first one', () => {
    const plan = planReopen(SPEC, REACHED, 2, 2);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.spec.checklist[0]!.items.map((i) => [i.key, i.stageKey])).toEqual([
      ['staging-smoke', 'reopen-2'],
      ['canary-dash', 'canary'],
      ['quarter-dash', 'quarter'],
    ]);
    expect(plan.spec.gates.map((g) => [g.key, g.stages])).toEqual([
      ['health', ['reopen-2']],
      ['errors', ['canary', 'quarter']],
    ]);
    // At the canary's own percent, the first stage takes the canary's place, its items, gates and sign-off.
    const replaced = planReopen(SPEC, REACHED, 5, 2);
    if (!replaced.ok) throw new Error(replaced.message);
    expect(replaced.firstStage.signoff).toEqual([{ role: 'engineering', count: 1 }]);
    expect(replaced.spec.checklist[0]!.items.map((i) => i.stageKey)).toEqual(['reopen-2', 'reopen-2', 'quarter']);
    expect(replaced.spec.gates.map((g) => g.stages)).toEqual([['reopen-2'], ['reopen-2', 'quarter']]);
  });

  it('may reopen between stages, replacing a stage of the same percent', () => {
    const plan = planReopen(SPEC, REACHED, 5, 3);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.spec.stages.map((s) => [s.key, s.trafficPercent])).toEqual([
      ['reopen-3', 5],
      ['quarter', 25],
      ['full', 100],
    ]);
    const fraction = planReopen(SPEC, REACHED, 0.5, 2);
    expect(fraction.ok && fraction.spec.stages[0]).toMatchObject({ name: 'Reopened at 0.5%', trafficPercent: 0.5, minBakeSeconds: 1800 });
  });

  it('refuses a percent that is not below what the attempt reached, naming the field', () => {
    expect(planReopen(SPEC, REACHED, 25, 2)).toEqual({ ok: false, field: 'trafficPercent', message: 'must be below the highest percent reached: the rolled-back attempt reached 25%' });
    expect(planReopen(SPEC, REACHED, 50, 2)).toMatchObject({ ok: false, field: 'trafficPercent' });
    const never = SPEC.stages.map((s) => ({ trafficPercent: s.trafficPercent, enteredAt: null }));
    expect(planReopen(SPEC, never, 1, 2)).toMatchObject({ ok: false, message: expect.stringContaining('never reached any traffic') });
  });
});
