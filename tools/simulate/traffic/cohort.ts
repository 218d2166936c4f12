// One cohort's 10-second bin drawn from its expected load, error rate and latency: requests arrive as a
// Poisson process and each is an error with the bin's rate, independently of its latency bucket, so every
// (error?, bucket) cell is an independent Poisson count. Overdispersion enters through the rates the
// traffic model hands in (gamma-mixed: negative binomial over bins), not here.
import type { Random } from '../random.js';

export interface TCohortCounts {
  requests: number;
  errors: number;
  /** Cumulative counts per latency bound; the last is the +Inf count (= requests). */
  counts: number[];
}

export function drawCohort(rng: Random, expectedRequests: number, errorRate: number, masses: readonly number[]): TCohortCounts {
  const p = Math.min(1, Math.max(0, errorRate));
  const counts: number[] = [];
  let requests = 0;
  let errors = 0;
  for (const mass of masses) {
    const bad = rng.poisson(expectedRequests * p * mass);
    const good = rng.poisson(expectedRequests * (1 - p) * mass);
    requests += bad + good;
    errors += bad;
    counts.push(requests);
  }
  return { requests, errors, counts };
}

export function emptyCounts(buckets: number): TCohortCounts {
  return { requests: 0, errors: 0, counts: new Array<number>(buckets).fill(0) };
}
