// A stage that outstays the upper end of its bake range needs a person: the document expected a decision by
// then (seed 000: "30–60 minutes"), and a release that nobody ramps or rolls back is a risk left running.
import type { TDomainEvent } from '../release/decide.js';
import { formatDuration } from '../duration.js';

export interface TStageTiming {
  key: string;
  name: string;
  enteredAt: Date;
  maxBakeSeconds?: number;
}

/** The event to record when `now` is the first evaluation past the stage's maximum bake time. */
export function maxBakeExceeded(stage: TStageTiming, previousEvaluationAt: Date | null, now: Date): TDomainEvent | null {
  if (stage.maxBakeSeconds === undefined) return null;
  const limit = stage.enteredAt.getTime() + stage.maxBakeSeconds * 1000;
  const before = previousEvaluationAt?.getTime() ?? stage.enteredAt.getTime();
  if (!(before < limit && limit <= now.getTime())) return null;
  return {
    type: 'release.needs_attention',
    data: {
      reason: 'max_bake_exceeded',
      stage: stage.key,
      message: `${stage.name} has run past its maximum bake time of ${formatDuration(stage.maxBakeSeconds)}: ramp, pause or roll back.`,
      maxBakeSeconds: stage.maxBakeSeconds,
    },
  };
}
