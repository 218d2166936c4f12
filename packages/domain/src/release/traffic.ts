// The deploy tooling reports the traffic percent it applied; a rollback is finished once it reports zero.
import type { TDecision, TDomainEvent } from './decide.js';
import type { TReleaseSnapshot } from './snapshot.js';
import { isFinished } from './transitions.js';

export function acknowledgeTraffic(release: TReleaseSnapshot, percent: number, now: Date): TDecision {
  // Tooling that never applied the canary's share still confirms zero once: that finishes the rollback.
  const finishesRollback = release.state === 'rolling_back' && percent === 0;
  if (percent === release.acknowledgedPercent && !finishesRollback) return { ok: true, release, events: [] };
  // A finished release's traffic may still converge on its final desired percent, never move away from it.
  if (isFinished(release.state) && percent !== release.desiredPercent) {
    return {
      ok: false,
      refusal: {
        kind: 'finished',
        state: release.state,
        message: `The release is ${release.state.replace('_', ' ')}; its traffic no longer changes`,
      },
    };
  }
  const acknowledged = { ...release, acknowledgedPercent: percent };
  const events: TDomainEvent[] =
    percent === release.acknowledgedPercent ? [] : [{ type: 'traffic.acknowledged', data: { percent, desiredPercent: release.desiredPercent } }];
  if (finishesRollback) {
    events.push({ type: 'release.rolled_back', data: { acknowledgedPercent: 0 } });
    return { ok: true, release: { ...acknowledged, state: 'rolled_back', finishedAt: now }, events };
  }
  return { ok: true, release: acknowledged, events };
}
