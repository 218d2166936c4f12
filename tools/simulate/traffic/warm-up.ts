// Warm-up after each ramp: a canary that has just received more traffic runs on cold caches and a cold JIT.
// For its first 2 minutes after a stage change it is 30% slower and has 30% more errors; then the excess
// decays with a 20 s time constant (under 2% left by 3 minutes).
const FULL_SECONDS = 120;
const DECAY_SECONDS = 20;
export const WARM_UP_LATENCY = 0.3;
export const WARM_UP_ERRORS = 0.3;

/** 1 during the first 2 minutes of a stage, then decaying to 0. */
export function warmUpWeight(secondsIntoStage: number): number {
  if (secondsIntoStage < FULL_SECONDS) return 1;
  return Math.exp(-(secondsIntoStage - FULL_SECONDS) / DECAY_SECONDS);
}
