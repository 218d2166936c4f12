// The bake countdown and the bake blocker from one source: the stage's exact `bakeEndsAt` and the server
// clock. The release read is cached for up to a minute, so the server's own bake blocker text may be that
// old; computing both here every second keeps "bake time over" and "… of bake time left" from disagreeing.
import type { TActionAvailability, TBlockerDto, TRelease, TReleaseAction, TReleaseStage } from '@rampart/contracts';
import { formatDuration } from '@rampart/domain/duration';

/** Actions that leave the current stage, and so wait for its bake (as in the domain's blockers). */
const LEAVES_STAGE: ReadonlySet<TReleaseAction> = new Set(['ramp', 'complete']);

/** Seconds of bake left at `now` (server time), or 0 when over or not baking. */
export function bakeSecondsLeft(bakeEndsAt: string | null, now: number): number {
  if (!bakeEndsAt) return 0;
  const end = Date.parse(bakeEndsAt);
  if (!Number.isFinite(end)) return 0;
  return Math.max(0, (end - now) / 1000);
}

/** The domain's bake blocker, worded the same, for the current stage at `now`; null once the bake is over. */
export function bakeBlocker(stage: TReleaseStage | undefined, now: number): TBlockerDto | null {
  if (!stage || stage.status !== 'current') return null;
  const left = bakeSecondsLeft(stage.bakeEndsAt, now);
  if (left <= 0) return null;
  return {
    kind: 'bake_time',
    message: `${formatDuration(left)} of bake time left at ${stage.name} (minimum ${formatDuration(stage.minBakeSeconds)})`,
    detail: { stage: stage.key, secondsLeft: Math.ceil(left) },
  };
}

/**
 * An action's availability with its bake blocker recomputed at `now`. The server's other blockers stand;
 * an action the server held back only for its bake becomes allowed once the bake is over here (the server
 * judges again when it is pressed).
 */
export function withLiveBake(action: TActionAvailability, release: TRelease, now: number): TActionAvailability {
  const serverBake = action.blockers.some((b) => b.kind === 'bake_time');
  if (!action.legal || (!serverBake && !LEAVES_STAGE.has(action.action))) return action;
  const others = action.blockers.filter((b) => b.kind !== 'bake_time');
  const bake = LEAVES_STAGE.has(action.action) ? bakeBlocker(release.stages[release.currentStageIndex], now) : null;
  const blockers = bake ? [bake, ...others] : others;
  const heldOnlyByBake = !action.allowed && serverBake && others.length === 0;
  const allowed = blockers.length === 0 && (action.allowed || heldOnlyByBake);
  return { ...action, blockers, allowed };
}
