export * from './input.js';
export {
  judge,
  judgeWithCarry,
  gateStatuses,
  gatesForStage,
  applicableGates,
  evaluateGate,
  releaseVerdict,
  SEVERITY_WEIGHTS,
  INCONCLUSIVE_CREDIT,
} from './judge.js';
export type { TJudgementCarry } from './judge.js';
export { firstAtOrAfter, histogramQuantile } from './series.js';
export { defaultMinSample, DEFAULT_WINDOW_SECONDS, MAX_WINDOW_SECONDS, CONFIDENCE_Z } from './comparison.js';
export { DEFAULT_FAMILY_ALPHA, LATENCY_CALIBRATION_REQUESTS, SETTLE_MS, gateAlpha } from './sequential.js';
export type { TSequentialCarry } from './sequential.js';
export { ALTERNATIVE_GRID, DEFAULT_TOLERANCE, logAlarmLevel, newDetector, observe, logStatistic } from './detector.js';
export type { TDetectorState } from './detector.js';
export { DEFAULT_INITIAL_DELAY_SECONDS, judgedFrom, initialDelaySeconds } from './timing.js';
export { CANARY_OUTAGE_GATE, CANARY_SILENT_GATE, SILENT_AFTER_SECONDS } from './safety-nets.js';
