// Two checks every stage that sends the canary traffic gets, whatever its playbook says. They appear in an
// analysis only while they fire, so a healthy release's gates and score are its playbook's alone.
// - Canary outage: at least half of the canary's requests failed over the last 30 s (10 errors at least),
//   while the baseline is not failing alike. Rolls back, with or without a baseline, and during the
//   initial delay too: an outage is not a warm-up.
// - Canary silent: the canary reported (this stage, or an earlier one of the release), then nothing for
//   5 minutes of this stage's judgement while it takes traffic. Pauses: a release that cannot be judged must
//   not keep ramping or serving unwatched.
import type { TGateEvaluation, TGateSpec } from '@rampart/contracts';
import { formatCount, formatSeconds, formatValue } from './format.js';
import type { TJudgementInput } from './input.js';
import { binsIn, latencyHistogram } from './series.js';
import { gateEvaluation } from './evaluation.js';
import { judgedFrom } from './timing.js';

export const OUTAGE_WINDOW_SECONDS = 30;
export const OUTAGE_ERROR_RATE = 0.5;
export const OUTAGE_MIN_ERRORS = 10;
export const SILENT_AFTER_SECONDS = 300;

export const CANARY_OUTAGE_GATE: TGateSpec = {
  key: 'rampart-canary-outage',
  name: 'Canary outage (built in)',
  kind: 'threshold',
  metric: 'error_rate',
  comparator: 'above',
  value: OUTAGE_ERROR_RATE,
  severity: 'rollback',
  sustainSeconds: 0,
};

export const CANARY_SILENT_GATE: TGateSpec = {
  key: 'rampart-canary-silent',
  name: 'Canary stopped reporting (built in)',
  kind: 'consecutive_failures',
  metric: 'canary_reporting',
  failingForSeconds: SILENT_AFTER_SECONDS,
  severity: 'pause',
  sustainSeconds: 0,
};

function errorsAndRequests(input: TJudgementInput, cohort: 'canary' | 'baseline', from: number, to: number) {
  const sum = (metric: string) => binsIn(input.scalars[metric]?.[cohort], from, to).reduce((n, b) => n + b.sum, 0);
  return { errors: sum('errors'), requests: sum('requests') };
}

function canaryOutage(input: TJudgementInput): TGateEvaluation | null {
  const from = Math.max(input.stage.enteredAt, input.now - OUTAGE_WINDOW_SECONDS * 1000);
  const canary = errorsAndRequests(input, 'canary', from, input.now + 1);
  if (canary.requests <= 0 || canary.errors < OUTAGE_MIN_ERRORS) return null;
  const rate = canary.errors / canary.requests;
  if (rate < OUTAGE_ERROR_RATE) return null;
  const baseline = errorsAndRequests(input, 'baseline', from, input.now + 1);
  const baselineRate = baseline.requests > 0 ? baseline.errors / baseline.requests : null;
  // Everything failing alike is not the canary's doing.
  if (baselineRate !== null && baselineRate >= OUTAGE_ERROR_RATE / 2) return null;
  const versus = baselineRate === null ? 'with no baseline data' : `against ${formatValue('error_rate', baselineRate)} on the baseline`;
  return gateEvaluation(
    CANARY_OUTAGE_GATE,
    'fail',
    `The canary is failing: ${formatValue('error_rate', rate)} of ${formatCount(canary.requests)} requests failed in the last ${OUTAGE_WINDOW_SECONDS} s, ${versus}.`,
    { canary: rate, baseline: baselineRate, threshold: OUTAGE_ERROR_RATE, windowSeconds: OUTAGE_WINDOW_SECONDS, sampleSize: canary.requests, breachedForSeconds: 0 },
  );
}

/** End of the canary's latest bin with any point this stage, or null. */
export function lastCanaryReport(input: TJudgementInput): number | null {
  let latest: number | null = null;
  const consider = (t: number | undefined) => {
    if (t !== undefined && t >= input.stage.enteredAt && (latest === null || t > latest)) latest = t;
  };
  for (const series of Object.values(input.scalars)) consider(series.canary[series.canary.length - 1]?.t);
  const hist = latencyHistogram(input);
  consider(hist?.series.canary[hist.series.canary.length - 1]?.t);
  return latest === null ? null : latest + input.binSeconds * 1000;
}

function canarySilent(input: TJudgementInput, reportedBefore: number | null): TGateEvaluation | null {
  const from = judgedFrom(input);
  if (input.now < from) return null;
  // Silence in a new stage counts from when its judgement began.
  const last = lastCanaryReport(input) ?? (reportedBefore === null ? null : Math.max(reportedBefore, from));
  if (last === null) return null;
  const silentFor = (input.now - last) / 1000;
  if (silentFor < SILENT_AFTER_SECONDS) return null;
  return gateEvaluation(
    CANARY_SILENT_GATE,
    'fail',
    `The canary has sent no metrics for ${formatSeconds(silentFor)} while it takes ${input.stage.trafficPercent}% of traffic: it cannot be judged.`,
    { windowSeconds: silentFor, threshold: SILENT_AFTER_SECONDS, breachedForSeconds: silentFor },
  );
}

/** The built-in checks that fire now; `reportedBefore`: when the canary last sent metrics, as far as is known. */
export function safetyNets(input: TJudgementInput, reportedBefore: number | null = null): TGateEvaluation[] {
  if (input.stage.trafficPercent <= 0) return [];
  return [canaryOutage(input), canarySilent(input, reportedBefore)].filter((g): g is TGateEvaluation => g !== null);
}
