export * from './input.js';
export { judge, gateStatuses, gatesForStage, applicableGates, evaluateGate, releaseVerdict, SEVERITY_WEIGHTS, INCONCLUSIVE_CREDIT } from './judge.js';
export { histogramQuantile } from './series.js';
export { defaultMinRequests, DEFAULT_WINDOW_SECONDS } from './comparison.js';
export {
  ConditionalBinomialEProcess,
  DEFAULT_FAMILY_ALPHA,
  RELATIVE_RISK_GRID,
  LATENCY_CALIBRATION_REQUESTS,
  gateAlpha,
} from './sequential.js';
