// The change detector behind sequential gates: is the canary's share of events (errors, or requests slower
// than a latency bound) worse than the baseline's by more than a practical margin?
//
// Model. In bin t the canary serves c_t requests and the baseline b_t; q_t = c_t / (c_t + b_t). If each
// cohort's events are Poisson in its requests with rates λc and λb, then given the bin's total events n_t the
// canary's events x_t are Binomial(n_t, p_t(θ)), θ = λc / λb, p_t(θ) = θ·q_t / (θ·q_t + 1 − q_t) (Lindon &
// Malek, NeurIPS 2022). Conditioning on n_t removes the shared base rate: a daily swing, a load change or a
// retry storm that hits both cohorts moves n_t and leaves the test untouched.
//
// Null and margin. The null is θ ≤ θ0 = 1 + tolerance (a canary up to 25% worse by default is "no worse in a
// way that matters"). Against an alternative θ the bin's likelihood ratio is
//     LR_t(θ) = (θ/θ0)^x_t · ((1 + q_t(θ0 − 1)) / (1 + q_t(θ − 1)))^n_t,
// which has conditional mean ≤ 1 for every θ' ≤ θ0 (monotone likelihood ratio).
//
// Robustness. Each bin's ratio is capped at e^BIN_LOG_LR_CAP: min(LR, K) still has mean ≤ 1, so validity is
// kept, and no single bin (a burst of retries routed to one cohort, a GC pause on one host) can decide alone.
// Real error counts are overdispersed (hosts, clients and retries make them clump), which a binomial
// likelihood mistakes for evidence. So each bin's ratio is tempered, LR^(1/φ_t), by the dispersion φ_t ≥ 1
// the past bins show: the decayed mean of their squared Pearson residuals around the canary's ratio over the
// last half hour, shrunk towards 1. φ_t depends on past bins only and E[LR^(1/φ)] ≤ E[LR]^(1/φ) ≤ 1, so this too keeps
// validity, and it costs nothing where counts are as Poisson as the model says.
//
// Detection without evidence debt (an e-detector, Shin, Ramdas & Rinaldo 2023). For each θ on a grid the
// detector keeps a CUSUM-like product C_t(θ) = max(C_{t−1}(θ), f_t) · LR_t(θ), where f_t = e^FLOOR once a
// minute and 0 otherwise. So healthy history can cost at most about |FLOOR| nats: a regression after an hour is
// caught almost as fast as one at the start. At a new stage each C is lowered to at most 1 (what the canary
// earned against it before is dropped; lowering never hurts the bound). The alarm is M_t = Σ_θ w_θ C_t(θ) ≥ A.
// M_t is bounded by a Shiryaev–Roberts sum whose starts have weights 1 (a fresh detector) and e^FLOOR (each
// minute), and M_t minus the weights started so far is a supermartingale under the null, so by Ville's
// inequality P(false alarm before time T) ≤ (fresh starts + minutes(T)·e^FLOOR) / A. We set
// A = (FRESH_STARTS + HORIZON_MINUTES·e^FLOOR) / α: at most α over a release's first HORIZON_MINUTES (4 h) of
// judging, after which false alarms stay rare (on average no more than one per A / e^FLOOR minutes).

/** Alternatives, as multiples of the null margin θ0, and their prior weights (most on the regressions hardest to see). */
export const ALTERNATIVE_GRID: readonly number[] = [1.6, 2.5, 5];
export const ALTERNATIVE_WEIGHTS: readonly number[] = [0.5, 0.3, 0.2];
const LOG_WEIGHTS = ALTERNATIVE_WEIGHTS.map(Math.log);
export const DEFAULT_TOLERANCE = 0.25;
export const BIN_LOG_LR_CAP = 2.5;
export const FLOOR = -1;
export const RESTART_EVERY_MS = 60_000;
export const HORIZON_MINUTES = 240;
/** Fresh starts at weight 1: the release's first judged stage, and once more should the carried state be lost. */
export const FRESH_STARTS = 2;
/**
 * Per-bin decay of the residuals' memory (about 50 bins) and of the canary's ratio they are measured around
 * (about 200 bins, half an hour): a canary whose hosts drift worse and better for minutes at a time shows that
 * drift as dispersion, not as evidence. Then the residuals' prior weight in bins at φ = 1.
 */
const DISPERSION_DECAY = 0.98;
const RATIO_DECAY = 0.995;
const DISPERSION_PRIOR_BINS = 10;
/** Dispersion this close to 1 is Poisson noise in the estimate itself: no tempering. */
const DISPERSION_DEAD_ZONE = 0.2;

/** log A for a gate at level α. */
export function logAlarmLevel(alpha: number): number {
  return Math.log((FRESH_STARTS + (HORIZON_MINUTES * 60_000 / RESTART_EVERY_MS) * Math.exp(FLOOR)) / alpha);
}

/** What the detector has seen since its stage's judgement started; plain data, so it can be stored. */
export interface TDetectorState {
  logC: number[];
  canaryEvents: number;
  canaryTrials: number;
  baselineEvents: number;
  baselineTrials: number;
  /** Canary events expected if it were exactly as good as the baseline: Σ n_t·q_t. */
  expectedCanaryEvents: number;
  /** Time of the last once-a-minute restart point applied. */
  lastRestart: number;
  /** Decayed sums for the dispersion: squared Pearson residuals, bins, and the odds-ratio estimate of θ. */
  residuals: number;
  residualBins: number;
  oddsCanary: number;
  oddsBaseline: number;
}

/**
 * A detector for a new stage. Carried on from the previous stage's, each component is lowered to at most 1
 * (log 0): lowering the statistic keeps the bound, and it drops what the canary earned against it before.
 */
export function newDetector(startedAt: number, previous?: TDetectorState | null): TDetectorState {
  return {
    logC: ALTERNATIVE_GRID.map((_, k) => Math.min(0, previous?.logC[k] ?? 0)),
    canaryEvents: 0,
    canaryTrials: 0,
    baselineEvents: 0,
    baselineTrials: 0,
    expectedCanaryEvents: 0,
    lastRestart: startedAt,
    residuals: 0,
    residualBins: 0,
    oddsCanary: 0,
    oddsBaseline: 0,
  };
}

/** φ_t from the past bins, and the bin's own residual folded in for the next. */
function dispersion(d: TDetectorState, x: number, n: number, q: number): number {
  const estimate = (d.residuals + DISPERSION_PRIOR_BINS) / (d.residualBins + DISPERSION_PRIOR_BINS);
  const phi = Math.max(1, estimate - DISPERSION_DEAD_ZONE);
  const theta = (d.oddsCanary + 0.5) / (d.oddsBaseline + 0.5);
  const p = (theta * q) / (theta * q + 1 - q);
  const variance = n * p * (1 - p);
  d.residuals *= DISPERSION_DECAY;
  d.residualBins *= DISPERSION_DECAY;
  d.oddsCanary *= RATIO_DECAY;
  d.oddsBaseline *= RATIO_DECAY;
  if (variance > 0) {
    d.residuals += (x - n * p) ** 2 / variance;
    d.residualBins += 1;
  }
  d.oddsCanary += x * (1 - q);
  d.oddsBaseline += (n - x) * q;
  return phi;
}

/** Adds one complete bin ending at `binEnd`. */
export function observe(
  d: TDetectorState,
  tolerance: number,
  binEnd: number,
  canaryEvents: number,
  canaryTrials: number,
  baselineEvents: number,
  baselineTrials: number,
): void {
  if (!(canaryTrials > 0 && baselineTrials > 0)) return;
  const x = Math.max(0, canaryEvents);
  const n = x + Math.max(0, baselineEvents);
  const q = canaryTrials / (canaryTrials + baselineTrials);
  d.canaryTrials += canaryTrials;
  d.baselineTrials += baselineTrials;
  d.canaryEvents += x;
  d.baselineEvents += n - x;
  d.expectedCanaryEvents += n * q;
  const restart = binEnd - d.lastRestart >= RESTART_EVERY_MS;
  if (restart) d.lastRestart = binEnd;
  if (n === 0 && !restart) return;
  const phi = n === 0 ? 1 : dispersion(d, x, n, q);
  const theta0 = 1 + tolerance;
  const nullTerm = Math.log1p(q * (theta0 - 1));
  for (let k = 0; k < ALTERNATIVE_GRID.length; k++) {
    const theta = theta0 * ALTERNATIVE_GRID[k]!;
    let logC = d.logC[k]!;
    if (restart && logC < FLOOR) logC = FLOOR;
    const logLr = n === 0 ? 0 : x * Math.log(theta / theta0) - n * (Math.log1p(q * (theta - 1)) - nullTerm);
    d.logC[k] = logC + Math.min(BIN_LOG_LR_CAP, logLr / phi);
  }
}

/** log M: the log of the prior-weighted mixture. Always finite. */
export function logStatistic(d: TDetectorState): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of d.logC) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < d.logC.length; k++) sum += Math.exp(d.logC[k]! + LOG_WEIGHTS[k]! - max);
  return max + Math.log(sum);
}
