// The incidents gate: seed 000's "no new SEV1/SEV2 incidents in 1 hour after each ramp". It reads the
// incidents reported on the release, not metrics: any matching incident that started after the stage was
// entered fails it; otherwise it is inconclusive while the window after entering the stage runs (it holds
// the ramp, as the document asks) and passes once the window is over.
import type { TGateEvaluation, TGateSpec } from '@rampart/contracts';
import { gateEvaluation } from './evaluation.js';
import { formatSeconds } from './format.js';
import type { TJudgementInput, TReportedIncident } from './input.js';

export type TIncidentsGate = Extract<TGateSpec, { kind: 'incidents' }>;

/** Whether an incident counts for the gate: its severity is listed (or none are), or its problem kind is. */
export function incidentCounts(gate: TIncidentsGate, incident: TReportedIncident): boolean {
  if (incident.kind === 'incident') {
    return gate.severities === undefined || (incident.severity !== null && gate.severities.includes(incident.severity));
  }
  return gate.kinds?.includes(incident.kind) ?? false;
}

export function evaluateIncidentsGate(gate: TIncidentsGate, input: TJudgementInput): TGateEvaluation {
  const enteredAt = input.stage.enteredAt;
  const matching = (input.incidents ?? []).filter(
    (incident) => incident.startedAt >= enteredAt && incident.startedAt <= input.now && incidentCounts(gate, incident),
  );
  const windowSeconds = gate.windowSeconds;
  const evidence = { windowSeconds, sampleSize: matching.length };
  const first = matching[0];
  if (first) {
    const more = matching.length > 1 ? ` and ${matching.length - 1} more` : '';
    const severity = first.severity ? `${first.severity} ` : '';
    return gateEvaluation(gate, 'fail', `New ${severity}incident since entering the stage: ${first.title}${more}.`, evidence, 'incidents');
  }
  const watchedSeconds = (input.now - enteredAt) / 1000;
  if (watchedSeconds < windowSeconds) {
    return gateEvaluation(
      gate,
      'inconclusive',
      `No incident yet; watching for ${formatSeconds(windowSeconds - watchedSeconds)} more after entering the stage.`,
      evidence,
      'incidents',
    );
  }
  return gateEvaluation(gate, 'pass', `No incident in the ${formatSeconds(windowSeconds)} after entering the stage.`, evidence, 'incidents');
}
