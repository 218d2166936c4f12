// Rampart's answer to each Flagger gate (https://docs.flagger.app/usage/webhooks). Flagger reads only the
// status code: 200-202 lets it go on (its client fails anything above 202), any other code or a timeout holds
// the canary where it is, and it puts the answer's body in its failed-check log and Kubernetes events. The
// rollback hook is the other way round: 2xx makes Flagger roll the canary back and fail it, anything else
// means "no rollback", so an error here can never roll a canary back.
import type { TFlaggerGate } from '@rampart/contracts';
import type { TStanding } from './standing.js';
import { availabilityOf, releaseLabel, rollbackReason, whyNot } from './standing.js';

export type TGateAnswer = { open: true; message: string } | { open: false; message: string };

const open = (message: string): TGateAnswer => ({ open: true, message });
const shut = (message: string): TGateAnswer => ({ open: false, message });

/** Every gate but the rollback one needs the release running: paused, not started or over, Flagger waits. */
function notRunning(standing: TStanding): TGateAnswer | null {
  const { release } = standing;
  if (release.state === 'running') return null;
  const rollback = rollbackReason(standing);
  if (rollback) return shut(`Rampart wants ${releaseLabel(release)} rolled back: ${rollback}`);
  return shut(`${releaseLabel(release)} is ${release.state.replace('_', ' ')} in Rampart`);
}

/** Flagger's payload names no weight, so traffic may grow while Rampart would ramp now, or once it is at its last stage and no gate holds it. */
function trafficIncrease(standing: TStanding): TGateAnswer {
  const { release } = standing;
  const label = releaseLabel(release);
  const atLastStage = release.currentStageIndex === release.stages.length - 1;
  if (atLastStage) {
    const gateHolds = availabilityOf(standing, 'complete')?.blockers.filter((b) => b.kind.startsWith('gate_')) ?? [];
    if (gateHolds.length > 0) return shut(`Rampart holds traffic on ${label}: ${gateHolds.map((b) => b.message).join('; ')}`);
    return open(`${label} is at its last stage in Rampart`);
  }
  const why = whyNot(availabilityOf(standing, 'ramp'));
  return why ? shut(`Rampart holds traffic on ${label}: ${why}`) : open(`Rampart would ramp ${label} now`);
}

function promotion(standing: TStanding): TGateAnswer {
  const label = releaseLabel(standing.release);
  const why = whyNot(availabilityOf(standing, 'complete'));
  return why ? shut(`Rampart holds promotion of ${label}: ${why}`) : open(`Rampart would complete ${label} now`);
}

export function flaggerGate(hook: TFlaggerGate, standing: TStanding): TGateAnswer {
  const label = releaseLabel(standing.release);
  if (hook === 'rollback') {
    const rollback = rollbackReason(standing);
    return rollback ? open(`Rampart wants ${label} rolled back: ${rollback}`) : shut(`No rollback: Rampart does not want ${label} rolled back`);
  }
  // Already completed in Rampart: promoting the canary agrees with it.
  if (hook === 'confirm-promotion' && standing.release.state === 'completed') return open(`${label} completed in Rampart`);
  const waiting = notRunning(standing);
  if (waiting) return waiting;
  if (hook === 'confirm-rollout') return open(`${label} is running in Rampart`);
  if (hook === 'confirm-traffic-increase') return trafficIncrease(standing);
  return promotion(standing);
}
