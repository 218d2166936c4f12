// The daily swing: load follows the day (a trough at night about 0.4× the mean, a peak about 1.6×), the error
// rate rises with load (more clients, more dependencies busy) and latency with it. Both cohorts share it.
const DAY_MS = 24 * 3600 * 1000;

export interface TDailyFactors {
  load: number;
  errors: number;
  latency: number;
}

export const FLAT_DAY: TDailyFactors = { load: 1, errors: 1, latency: 1 };

export function dailyFactors(t: number): TDailyFactors {
  const angle = (2 * Math.PI * (t % DAY_MS)) / DAY_MS;
  // Peak in the afternoon, a second harmonic for the steeper morning ramp.
  const load = 1 + 0.5 * Math.sin(angle - 2.2) + 0.1 * Math.sin(2 * angle - 1.5);
  return { load, errors: 1 + 0.5 * Math.sin(angle - 1.9), latency: 1 + 0.2 * (load - 1) };
}
