// The one door to the judgement engine: every judgement of the simulation goes through `judgeOnce`, so a
// change of the engine's entry point is a change here only. Like the autopilot, it carries the engine's
// state from one evaluation of a release to the next: callers pass back the state it returned, per release.
import { judgeWithCarry } from '../../packages/domain/src/index.js';
import type { TJudgementCarry, TJudgementInput } from '../../packages/domain/src/index.js';
import type { TAnalysis } from '../../packages/contracts/src/index.js';

export { DEFAULT_INITIAL_DELAY_SECONDS } from '../../packages/domain/src/index.js';

/** What the engine carries from one evaluation of a release to the next (null at the release's start). */
export type TEngineState = TJudgementCarry | null;

export function judgeOnce(input: TJudgementInput, state: TEngineState): { analysis: TAnalysis; state: TEngineState } {
  const judged = judgeWithCarry(input, state);
  return { analysis: judged.analysis, state: judged.carry };
}
