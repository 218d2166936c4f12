// Pause, resume and roll back are emergency buttons: a person asks for an outcome ("stop moving
// traffic", "go back"), not for a move from the exact revision they saw. They hold whatever moved the
// revision meanwhile (verdicts the autopilot recorded, the tooling's acknowledgements, ticked checklist
// items, sign-offs, even the autopilot's own actions) as long as the state allows them; only another
// person changing the release's course since the revision they saw is a conflict to show them.
import type { TReleaseAction, TReleaseEventType, TReleaseState } from '@rampart/contracts';

export type TIntentAction = 'pause' | 'resume' | 'rollback';

const HELD_IN: Record<TIntentAction, readonly TReleaseState[]> = {
  pause: ['paused'],
  resume: ['running'],
  rollback: ['rolling_back', 'rolled_back'],
};

/** The events that record someone changing a release's course (each bumps the revision). */
export const COURSE_EVENT_TYPES: readonly TReleaseEventType[] = [
  'release.started',
  'release.ramped',
  'release.paused',
  'release.resumed',
  'release.rollback_started',
  'release.completed',
  'release.aborted',
];

export function isIntent(action: TReleaseAction): action is TIntentAction {
  return action in HELD_IN;
}

/** The release already is where the intent leads: asking again changes nothing. */
export function intentHolds(action: TIntentAction, state: TReleaseState): boolean {
  return HELD_IN[action].includes(state);
}
