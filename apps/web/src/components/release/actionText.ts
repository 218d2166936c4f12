import type { TRelease, TReleaseAction } from '@rampart/contracts';
import { ACTION_LABELS, STATE_INFO, formatPercent } from '../../lib/format';

/** "Ramp to 5%", "Start (Deploy to Staging, 0%)", "Roll back". */
export function actionLabel(release: Pick<TRelease, 'stages' | 'currentStageIndex'>, action: TReleaseAction): string {
  if (action === 'ramp') {
    const next = release.stages[release.currentStageIndex + 1];
    return next ? `Ramp to ${formatPercent(next.trafficPercent)}` : 'Ramp';
  }
  if (action === 'start') {
    const first = release.stages[0];
    return first ? `Start at ${formatPercent(first.trafficPercent)}` : 'Start';
  }
  return ACTION_LABELS[action];
}

export function actionConsequence(release: TRelease, action: TReleaseAction): string {
  const next = release.stages[release.currentStageIndex + 1];
  switch (action) {
    case 'start':
      return `${release.service} ${release.version} enters ${release.stages[0]?.name ?? 'its first stage'}.`;
    case 'ramp':
      return next ? `Traffic moves to ${formatPercent(next.trafficPercent)} (${next.name}).` : 'Traffic moves to the next stage.';
    case 'pause':
      return 'The rollout stops where it is; traffic stays at its current percent.';
    case 'resume':
      return 'The rollout continues from the current stage.';
    case 'rollback':
      return 'Traffic goes back to 0% on the new version. This cannot be undone.';
    case 'complete':
      return `${release.version} becomes the version everyone runs.`;
    case 'abort':
      return 'The release ends without rolling out. This cannot be undone.';
  }
}

export interface ReleaseChange {
  label: string;
  before: string;
  after: string;
}

/** What differs between the release the person saw and the one the server has now. */
export function describeChanges(before: TRelease, after: TRelease): ReleaseChange[] {
  const changes: ReleaseChange[] = [];
  if (before.state !== after.state) {
    changes.push({ label: 'State', before: STATE_INFO[before.state].label, after: STATE_INFO[after.state].label });
  }
  const stageName = (r: TRelease) => r.currentStage?.name ?? 'Not started';
  if (stageName(before) !== stageName(after)) changes.push({ label: 'Stage', before: stageName(before), after: stageName(after) });
  if (before.desiredPercent !== after.desiredPercent) {
    changes.push({ label: 'Traffic', before: formatPercent(before.desiredPercent), after: formatPercent(after.desiredPercent) });
  }
  changes.push({ label: 'Revision', before: String(before.revision), after: String(after.revision) });
  return changes;
}
