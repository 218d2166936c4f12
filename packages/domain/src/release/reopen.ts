// Reopening a rolled-back release as a new attempt at a smaller percentage, after a fix (seed 000: "Reopen
// canary at smaller percentage after fix"). The stage arithmetic: a first stage at the smaller percent, then
// the old stages that go further. What belonged to the stages the new attempt skips (their checklist items,
// the gates scoped to them) belongs to its first stage, so no check of the process is lost.
import type { TPlaybookSpec, TStageSpec } from '@rampart/contracts';

export interface TReachedStage {
  trafficPercent: number;
  enteredAt: Date | null;
}

export type TReopenPlan =
  | { ok: true; spec: TPlaybookSpec; firstStage: TStageSpec }
  | { ok: false; field: 'trafficPercent'; message: string };

/** The highest traffic percent the attempt entered a stage at; null when it never entered one. */
export function highestReachedPercent(stages: readonly TReachedStage[]): number | null {
  const reached = stages.filter((stage) => stage.enteredAt !== null).map((stage) => stage.trafficPercent);
  return reached.length === 0 ? null : Math.max(...reached);
}

/**
 * The new attempt's playbook copy: the old one with its stages replaced. `attempt` numbers the attempts
 * (the first release is 1), which keeps the first stage's key apart from an earlier reopening's.
 */
export function planReopen(spec: TPlaybookSpec, reached: readonly TReachedStage[], trafficPercent: number, attempt: number): TReopenPlan {
  const highest = highestReachedPercent(reached);
  if (highest === null || trafficPercent >= highest) {
    const what = highest === null ? 'the rolled-back attempt never reached any traffic' : `the rolled-back attempt reached ${highest}%`;
    return { ok: false, field: 'trafficPercent', message: `must be below the highest percent reached: ${what}` };
  }
  // The stage the reopened one stands in for: the first that sent at least this much traffic. It exists, since
  // a stage reached `highest` > trafficPercent.
  // Its sign-off comes along only when the new attempt skips that stage: one kept still asks for it on entry.
  const template = spec.stages.find((stage) => stage.trafficPercent >= trafficPercent)!;
  const firstStage: TStageSpec = {
    ...template,
    key: `reopen-${attempt}`,
    name: `Reopened at ${trafficPercent}%`,
    trafficPercent,
    signoff: template.trafficPercent > trafficPercent ? [] : template.signoff,
  };
  const kept = spec.stages.filter((stage) => stage.trafficPercent > trafficPercent);
  const skipped = new Set(spec.stages.filter((stage) => stage.trafficPercent <= trafficPercent).map((stage) => stage.key));
  const moved = (key: string) => (skipped.has(key) ? firstStage.key : key);
  return {
    ok: true,
    firstStage,
    spec: {
      ...spec,
      stages: [firstStage, ...kept],
      checklist: spec.checklist.map((section) => ({
        ...section,
        items: section.items.map((item) => (item.stageKey === undefined ? item : { ...item, stageKey: moved(item.stageKey) })),
      })),
      gates: spec.gates.map((gate) => (gate.stages === undefined ? gate : { ...gate, stages: [...new Set(gate.stages.map(moved))] })),
    },
  };
}
