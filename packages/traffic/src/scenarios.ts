// The simulator's scenarios: how the canary departs from the baseline over time. Pure functions of the
// seconds since the scenario began; the baseline is never modified.

export const SCENARIO_KINDS = [
  'healthy',
  'error_spike',
  'latency_regression',
  'slow_drift',
  'flapping',
  'low_traffic',
  'health_outage',
] as const;
export type TScenarioKind = (typeof SCENARIO_KINDS)[number];

export type TScenario =
  | { kind: 'healthy' }
  /** The canary's errors times `factor` from `startSeconds` for `durationSeconds`. */
  | { kind: 'error_spike'; factor?: number; startSeconds?: number; durationSeconds?: number }
  /** Every canary latency times (1 + `increase`) from `startSeconds`: 0.2 is +20%, 0.5 is +50%. */
  | { kind: 'latency_regression'; increase?: number; startSeconds?: number }
  /** The canary's error rate drifts linearly from the base rate to `toFactor` times it over `driftSeconds`, then stays. */
  | { kind: 'slow_drift'; toFactor?: number; driftSeconds?: number; startSeconds?: number }
  /**
   * The canary alternates above and below a line every half `periodSeconds`: its error rate (a fraction,
   * default line 0.01) or its P95 latency (ms). Faster than a sustain window, it must never trip a sustained gate.
   */
  | {
      kind: 'flapping';
      metric?: 'error_rate' | 'latency_p95_ms';
      line?: number;
      aboveFactor?: number;
      belowFactor?: number;
      periodSeconds?: number;
    }
  /** Little traffic (`rps`, default 10) with the canary pinned at `canaryPercent` (default 1) whatever the stage says. */
  | { kind: 'low_traffic'; rps?: number; canaryPercent?: number }
  /** The canary's health checks fail (health_ok = 0) from `startSeconds` for `durationSeconds`. */
  | { kind: 'health_outage'; startSeconds?: number; durationSeconds?: number };

export type TScenarioInput = TScenarioKind | TScenario;

/** What a scenario does to the canary at a moment. */
export interface TCanaryEffect {
  /** Multiplies the base error rate. */
  errorFactor: number;
  /** Replaces the error rate when set (flapping around an absolute line). */
  errorRate: number | null;
  /** Multiplies every latency. */
  latencyFactor: number;
  healthOk: boolean;
}

export interface TScenarioModel {
  scenario: Required<TScenario>;
  /** Total requests per second the scenario asks for, overriding the runner's when set. */
  rps: number | null;
  /** A fixed canary share in percent, overriding the acknowledged percent when set. */
  canaryPercent: number | null;
  /**
   * The canary's effect `elapsedSeconds` after the scenario began. `baseP95Ms` is the healthy P95,
   * which flapping on latency needs to put the canary above or below its line.
   */
  effect(elapsedSeconds: number, baseP95Ms: number): TCanaryEffect;
}

const NONE: TCanaryEffect = { errorFactor: 1, errorRate: null, latencyFactor: 1, healthOk: true };

function positive(name: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(`scenario ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`);
  }
  return value;
}

/** The scenario with its defaults filled in and checked. */
export function resolveScenario(input: TScenarioInput): Required<TScenario> {
  const scenario: TScenario = typeof input === 'string' ? ({ kind: input } as TScenario) : input;
  switch (scenario.kind) {
    case 'healthy':
      return { kind: 'healthy' };
    case 'error_spike':
      return {
        kind: 'error_spike',
        factor: positive('factor', scenario.factor ?? 5),
        startSeconds: positive('startSeconds', scenario.startSeconds ?? 30, true),
        durationSeconds: positive('durationSeconds', scenario.durationSeconds ?? 120),
      };
    case 'latency_regression':
      return {
        kind: 'latency_regression',
        increase: positive('increase', scenario.increase ?? 0.2, true),
        startSeconds: positive('startSeconds', scenario.startSeconds ?? 0, true),
      };
    case 'slow_drift':
      return {
        kind: 'slow_drift',
        toFactor: positive('toFactor', scenario.toFactor ?? 2),
        driftSeconds: positive('driftSeconds', scenario.driftSeconds ?? 30 * 60),
        startSeconds: positive('startSeconds', scenario.startSeconds ?? 0, true),
      };
    case 'flapping': {
      const metric = scenario.metric ?? 'error_rate';
      return {
        kind: 'flapping',
        metric,
        line: positive('line', scenario.line ?? (metric === 'error_rate' ? 0.01 : 500)),
        aboveFactor: positive('aboveFactor', scenario.aboveFactor ?? 1.5),
        belowFactor: positive('belowFactor', scenario.belowFactor ?? 0.5),
        periodSeconds: positive('periodSeconds', scenario.periodSeconds ?? 120),
      };
    }
    case 'low_traffic':
      return {
        kind: 'low_traffic',
        rps: positive('rps', scenario.rps ?? 10),
        canaryPercent: positive('canaryPercent', scenario.canaryPercent ?? 1, true),
      };
    case 'health_outage':
      return {
        kind: 'health_outage',
        startSeconds: positive('startSeconds', scenario.startSeconds ?? 30, true),
        durationSeconds: positive('durationSeconds', scenario.durationSeconds ?? 180),
      };
    default:
      throw new RangeError(`unknown scenario "${(scenario as { kind: string }).kind}"; known: ${SCENARIO_KINDS.join(', ')}`);
  }
}

export function scenarioModel(input: TScenarioInput): TScenarioModel {
  const scenario = resolveScenario(input);
  const base = { scenario, rps: null, canaryPercent: null };
  switch (scenario.kind) {
    case 'healthy':
      return { ...base, effect: () => NONE };
    case 'error_spike': {
      const { factor, startSeconds, durationSeconds } = scenario;
      return {
        ...base,
        effect: (t) => (t >= startSeconds && t < startSeconds + durationSeconds ? { ...NONE, errorFactor: factor } : NONE),
      };
    }
    case 'latency_regression': {
      const { increase, startSeconds } = scenario;
      return { ...base, effect: (t) => (t >= startSeconds ? { ...NONE, latencyFactor: 1 + increase } : NONE) };
    }
    case 'slow_drift': {
      const { toFactor, driftSeconds, startSeconds } = scenario;
      return {
        ...base,
        effect: (t) => {
          const progress = Math.min(1, Math.max(0, (t - startSeconds) / driftSeconds));
          return { ...NONE, errorFactor: 1 + (toFactor - 1) * progress };
        },
      };
    }
    case 'flapping': {
      const { metric, line, aboveFactor, belowFactor, periodSeconds } = scenario;
      return {
        ...base,
        effect: (t, baseP95Ms) => {
          const above = Math.floor(Math.max(0, t) / (periodSeconds / 2)) % 2 === 0;
          const target = line * (above ? aboveFactor : belowFactor);
          if (metric === 'error_rate') return { ...NONE, errorRate: Math.min(1, target) };
          return { ...NONE, latencyFactor: target / baseP95Ms };
        },
      };
    }
    case 'low_traffic':
      return { ...base, rps: scenario.rps, canaryPercent: scenario.canaryPercent, effect: () => NONE };
    case 'health_outage': {
      const { startSeconds, durationSeconds } = scenario;
      return {
        ...base,
        effect: (t) => (t >= startSeconds && t < startSeconds + durationSeconds ? { ...NONE, healthOk: false } : NONE),
      };
    }
  }
}
