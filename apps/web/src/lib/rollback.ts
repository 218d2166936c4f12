// The rollback procedure and a release's attempts, read from the release. Pure: tested in apps/web/test.
import type { TRelease } from '@rampart/contracts';

export interface TProcedureState {
  open: boolean;
  /** Required on_rollback items still open. */
  requiredLeft: number;
}

/** Whether the rollback procedure is open, and how many required steps are left: the server's word when it gives one. */
export function procedureOf(release: TRelease): TProcedureState {
  if (release.rollbackProcedure) return { open: release.rollbackProcedure.open, requiredLeft: release.rollbackProcedure.openRequired };
  if (release.rollbackProcedure === null) return { open: false, requiredLeft: 0 };
  const requiredLeft = release.checklist.filter((i) => i.phase === 'on_rollback' && i.required && i.status === 'open').length;
  return { open: rollbackFirst(release) && requiredLeft > 0, requiredLeft };
}

export function procedureText(state: TProcedureState, releaseState: TRelease['state']): string {
  const steps = state.requiredLeft === 1 ? '1 required step left' : `${state.requiredLeft} required steps left`;
  return `${releaseState === 'rolling_back' ? 'Rolling back' : 'Rolled back'}, procedure open: ${steps}`;
}

/** Rolling back or rolled back: the rollback procedure is what matters now, so the checklist shows it first. */
export function rollbackFirst(release: Pick<TRelease, 'state'>): boolean {
  return release.state === 'rolling_back' || release.state === 'rolled_back';
}

/** The most traffic an attempt reached: the largest percent of any stage it entered. */
export function reachedPercent(release: Pick<TRelease, 'stages'>): number {
  return release.stages.reduce((max, s) => (s.enteredAt !== null ? Math.max(max, s.trafficPercent) : max), 0);
}

/** Half of what the attempt reached, to two decimals: a starting point the person changes at will. */
export function suggestedReopenPercent(reached: number): number {
  return Math.max(0.01, Math.round((reached / 2) * 100) / 100);
}
