import type { TGateSpec, TGateVerdict } from '@rampart/contracts';
import { applicableGates } from '../judgement/judge.js';
import type { TGateStatus } from './snapshot.js';

/**
 * The verdicts the state machine weighs for the current stage. A gate with no verdict yet for this
 * stage is inconclusive: nothing ramps past a gate before it has been judged. Gates that compare with a
 * baseline do not apply at 100% (there is no baseline left), so they never hold a release there.
 */
export function gateStatusesForStage(
  gates: readonly TGateSpec[],
  stage: { key: string; trafficPercent: number } | null,
  verdicts: ReadonlyMap<string, TGateVerdict>,
): TGateStatus[] {
  if (stage === null) return [];
  return applicableGates({ gates: [...gates], stage }).map((gate) => ({
    key: gate.key,
    name: gate.name,
    severity: gate.severity,
    verdict: verdicts.get(gate.key) ?? 'inconclusive',
  }));
}
