import type { TGateEvaluation, TGateEvidence, TGateSpec, TGateVerdict } from '@rampart/contracts';
import { isMetricGate } from '@rampart/contracts';

/** Evidence fields a gate kind does not use read as null. */
const NO_EVIDENCE: TGateEvidence = {
  canary: null,
  baseline: null,
  threshold: null,
  windowSeconds: 0,
  sampleSize: 0,
  breachedForSeconds: null,
  eValue: null,
  eValueToFail: null,
};

/** The verdict of one gate with its evidence, the same envelope for every gate kind. */
export function gateEvaluation(
  gate: TGateSpec,
  verdict: TGateVerdict,
  summary: string,
  evidence: Partial<TGateEvidence>,
  metric: string = isMetricGate(gate) ? gate.metric : 'incidents',
): TGateEvaluation {
  return {
    key: gate.key,
    name: gate.name,
    kind: gate.kind,
    metric,
    severity: gate.severity,
    verdict,
    summary,
    evidence: { ...NO_EVIDENCE, ...evidence },
  };
}
