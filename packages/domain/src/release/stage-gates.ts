import type { TGateSpec, TGateVerdict } from '@rampart/contracts';
import { gatesForStage } from '../judgement/judge.js';
import type { TGateStatus } from './snapshot.js';

/**
 * The verdicts the state machine weighs for the current stage. A gate with no verdict yet for this
 * stage is inconclusive: nothing ramps past a gate before it has been judged.
 */
export function gateStatusesForStage(
  gates: readonly TGateSpec[],
  stageKey: string | null,
  verdicts: ReadonlyMap<string, TGateVerdict>,
): TGateStatus[] {
  if (stageKey === null) return [];
  return gatesForStage(gates, stageKey).map((gate) => ({
    key: gate.key,
    name: gate.name,
    severity: gate.severity,
    verdict: verdicts.get(gate.key) ?? 'inconclusive',
  }));
}
