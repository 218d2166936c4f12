// Where a release stands, as the Kubernetes hooks weigh it: the same page view (state, stage, and what each
// action waits for) and the same stored verdicts that people and the autopilot see, never a judgement of its own.
import type { TActionAvailability, TRelease, TReleaseAction } from '@rampart/contracts';
import type { TGateStatus } from '@rampart/domain';
import type { TServiceContext } from '../context.js';
import { currentAnalysis, gateStatusesOf } from '../judgement/stored-analysis.js';
import { loadRelease } from '../releases/release-record.js';
import { toReleaseDto } from '../releases/release-view.js';

export interface TStanding {
  release: TRelease;
  /** The verdicts of the gates that judge the current stage (inconclusive until one is judged). */
  gates: TGateStatus[];
  /** The latest analysis's score, if it judged the current stage. */
  score: number | null;
}

export async function loadStanding(ctx: Pick<TServiceContext, 'db' | 'clock'>, releaseId: string): Promise<TStanding> {
  const record = await loadRelease(ctx.db, releaseId);
  const gates = gateStatusesOf(record);
  return { release: toReleaseDto(record, ctx.clock.now(), gates), gates, score: currentAnalysis(record)?.score ?? null };
}

export function availabilityOf(standing: TStanding, action: TReleaseAction): TActionAvailability | undefined {
  return standing.release.actions.find((a) => a.action === action);
}

/** Why the action cannot be taken now, in one line; null when it can. */
export function whyNot(availability: TActionAvailability | undefined): string | null {
  if (!availability) return 'unknown action';
  if (availability.allowed) return null;
  return availability.reason ?? availability.blockers.map((b) => b.message).join('; ');
}

/** Rampart wants the canary's traffic gone: the release is rolling back or over without completing, or a rollback gate fails. */
export function rollbackReason(standing: TStanding): string | null {
  const { state } = standing.release;
  if (state === 'rolling_back') return 'the release is rolling back';
  if (state === 'rolled_back') return 'the release was rolled back';
  if (state === 'aborted') return 'the release was aborted';
  if (state !== 'running' && state !== 'paused') return null;
  const failing = standing.gates.find((g) => g.severity === 'rollback' && g.verdict === 'fail');
  return failing ? `rollback gate failing: ${failing.name}` : null;
}

export const releaseLabel = (release: TRelease) => `${release.service} ${release.version}`;
