// @rampart/traffic: the demo's traffic simulator, a seeded scenario generator (pure) and an HTTP client
// that drives a release through Rampart's API like a deploy pipeline and agent would, and the one seeded
// random source it shares with `pnpm simulate`.
export type { TBusinessMetric } from './business-metrics.js';
export { businessMetricsFromGates, isBusinessMetric } from './business-metrics.js';
export type { TCohortWindow, TGeneratorOptions, TWindow } from './generator.js';
export { DEFAULT_LATENCY_BUCKETS_MS, TrafficGenerator } from './generator.js';
export { Random, logFactorial, mix, normalCdf, seedFromText } from './random.js';
export type { TClock, TSimulator, TSimulatorLogger, TSimulatorOptions, TSimulatorStats, TStopReason } from './runner.js';
export { startSimulator } from './runner.js';
export type { TCanaryEffect, TScenario, TScenarioInput, TScenarioKind, TScenarioModel } from './scenarios.js';
export { SCENARIO_KINDS, resolveScenario, scenarioModel } from './scenarios.js';
