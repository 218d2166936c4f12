// Counters (requests, errors) are per-window counts. A pipeline that pushes the raw Prometheus counter
// (http_requests_total) instead of increase(...[window]) sends a running total: every value is the
// previous one plus about one window's count, and it climbs for as long as the process lives. Judged as
// per-window counts, such a series makes the canary look ever busier, and its error rate is an average
// since the process started, so verdicts go wrong both ways. This spots such a series so the batch can
// be refused with a reason.
//
// Why these two rules, and why they rarely fire on genuine per-window counts from growing traffic:
//
// A. "Smoother than counting allows": at least 12 consecutive points each higher than the one before,
//    with the median step under 0.35 times the square root of the level. Genuine counts vary by at
//    least their Poisson noise (standard deviation about the square root of the count; real traffic is
//    overdispersed, so more), so consecutive windows differ by about 1.4 times the square root of the
//    level. Rising at each of 11 steps while the trend adds at most 0.35 square roots per step happens
//    with probability below 0.6^11 ≈ 0.4% per run even without overdispersion, and far less with it.
//    A running total's steps are one window's count: small next to a level that holds the whole
//    history, so an old counter (a baseline process up for days) is caught at the 12th point.
//
// B. "Climbing from zero in single steps": at least 40 consecutive rising points, the first of them no
//    more than 3 steps high. That is a counter that started with the process (a freshly deployed
//    canary) and has done nothing but climb for 40 windows. Rule A cannot see it at high rates (the
//    steps are large next to the square root of a young level), but traffic does not climb at every one
//    of 40 windows (7 minutes at 10-second windows): Rampart's stage ramps are steps, and a load
//    balancer's weight ramp from zero is over sooner. A ramp from zero that lasts longer still trips it
//    at high rates; that is the price of catching fresh counters.
//
// Simulated (200 series-hours of 10-second windows per case; Poisson counts with and without 5%
// overdispersion, 1 to 1,000,000 a window; flat, growing 50% and 200% an hour, a daily swing, stage
// steps, 5% load-balancer steps, ramps from zero over 2, 5 and 20 minutes): rule A never fired; rule B
// fired only on the 20-minute ramp from zero at 10,000 a window or more. Running totals of 3 a window
// or more were caught at the 12th point (A) when the counter held 1,000 windows or more of history
// (for rates up to 100 a window; 100,000 windows at 10,000), and at the 40th point (B) when it started
// at zero. Missed: totals of about 1 a window (flat steps break the run; the requests counter beside
// them is caught) and high-rate counters with a middling history, where nothing in the shape of 40
// points tells a running total from traffic that grows.

export const COUNTER_METRICS = ['requests', 'errors'];

const SMOOTH_RUN = 12;
const SMOOTH_STEP_PER_SQRT_LEVEL = 0.35;
const FROM_ZERO_RUN = 40;
const FROM_ZERO_STEPS = 3;

/** The stored points of a series before the batch that the rules need to look at. */
export const COUNTER_HISTORY = FROM_ZERO_RUN;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? 0;
}

export interface TCumulativeFinding {
  /** Position in `values` of the point at which the series first looks cumulative. */
  at: number;
  /** Why, in words a person reads. */
  reason: string;
}

/**
 * Whether a counter series (values in time order, stored history first) looks like a running total,
 * judged at each point from `firstNew` on (earlier points were accepted already).
 */
export function findCumulativeRun(values: number[], firstNew = 0): TCumulativeFinding | null {
  let runStart = 0;
  for (let i = 1; i < values.length; i++) {
    if (!(values[i]! > values[i - 1]!)) {
      runStart = i;
      continue;
    }
    const length = i - runStart + 1;
    if (i < firstNew || length < SMOOTH_RUN) continue;

    const recent = values.slice(i - SMOOTH_RUN + 1, i + 1);
    const step = median(recent.slice(1).map((v, k) => v - recent[k]!));
    const level = median(recent);
    if (step < SMOOTH_STEP_PER_SQRT_LEVEL * Math.sqrt(level)) {
      return {
        at: i,
        reason: `it rose at each of the last ${SMOOTH_RUN} points by about ${step}, far less than per-window counts near ${level} vary`,
      };
    }
    if (length >= FROM_ZERO_RUN) {
      const run = values.slice(runStart, i + 1);
      const runStep = median(run.slice(1).map((v, k) => v - run[k]!));
      if (run[0]! <= FROM_ZERO_STEPS * runStep) {
        return { at: i, reason: `it climbed from ${run[0]} at each of ${length} points by about ${runStep}, and never came down` };
      }
    }
  }
  return null;
}
