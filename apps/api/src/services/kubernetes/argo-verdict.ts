// The answer to an Argo Rollouts `web` metric. Argo evaluates successCondition / failureCondition on it
// (https://argo-rollouts.readthedocs.io/en/stable/analysis/web/): Successful lets the rollout go on, Failed
// counts towards failureLimit and then aborts it (traffic back to stable), and a measurement meeting neither
// condition is Inconclusive, which pauses the rollout until a person resumes or aborts it
// (https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#inconclusive-runs). So `passed` is
// "Rampart lets it go on", `failed` is "Rampart wants it gone", and whenever Rampart holds the release
// (paused, not started, a gate warning or not yet judged, a pause-severity gate failing) both are false.
import type { TArgoVerdict, TGateVerdict } from '@rampart/contracts';
import { releaseVerdict } from '@rampart/domain';
import type { TStanding } from './standing.js';
import { releaseLabel, rollbackReason } from './standing.js';

function verdictOf(standing: TStanding, rollback: string | null): TGateVerdict {
  const { state } = standing.release;
  if (rollback && state !== 'running' && state !== 'paused') return 'fail';
  if (state === 'draft' || state === 'ready') return 'inconclusive';
  if (state === 'completed') return 'pass';
  return releaseVerdict(standing.gates.map((g) => g.verdict));
}

function reasonOf(standing: TStanding, verdict: TGateVerdict, rollback: string | null): string {
  const { release } = standing;
  const label = releaseLabel(release);
  if (rollback) return `Rampart wants ${label} rolled back: ${rollback}`;
  if (release.state === 'completed') return `${label} completed in Rampart`;
  if (release.state === 'draft' || release.state === 'ready') return `${label} has not started in Rampart`;
  if (release.state === 'paused') return `${label} is paused in Rampart`;
  if (verdict === 'pass') return standing.gates.length === 0 ? `No gate judges ${label} at this stage` : `Every gate of ${label} passes at this stage`;
  const held = standing.gates.filter((g) => g.verdict !== 'pass').map((g) => `${g.name} (${g.verdict})`);
  return `Rampart holds ${label}: ${held.join(', ')}`;
}

export function argoVerdict(standing: TStanding): TArgoVerdict {
  const { release } = standing;
  const rollback = rollbackReason(standing);
  const verdict = verdictOf(standing, rollback);
  const goesOn = release.state === 'completed' || (release.state === 'running' && verdict === 'pass');
  return {
    releaseId: release.id,
    service: release.service,
    version: release.version,
    state: release.state,
    stage: release.currentStage?.key ?? null,
    percent: release.desiredPercent,
    verdict,
    score: standing.score,
    passed: goesOn && rollback === null,
    failed: rollback !== null,
    reason: reasonOf(standing, verdict, rollback),
    gates: standing.gates.map((g) => ({ key: g.key, severity: g.severity, verdict: g.verdict })),
  };
}
