// Stop-the-world GC pauses: each host pauses in a given 10 s bin with probability 3% (a long pause every
// 5–6 minutes), for 150 ms to 1.5 s (log-uniform). Requests that reach it during the pause, and the queue
// behind it, wait: about twice the pause's share of the bin. A cohort of n hosts sees 1/n of its requests
// per pausing host, so a one-host canary gets whole slow bins while a 40-host baseline sees a steady trickle.
// A health check that lands on a host paused longer than its 1 s timeout fails.
import type { Random } from '../random.js';
import { logUniform } from './distributions.js';

const PAUSE_PROBABILITY = 0.03;
const HEALTH_TIMEOUT_MS = 1000;

export interface TGcEffect {
  /** Share of the cohort's requests delayed, and the longest delay (ms). */
  share: number;
  maxDelayMs: number;
  healthFailure: number;
}

export const NO_GC: TGcEffect = { share: 0, maxDelayMs: 0, healthFailure: 0 };

export function gcPauses(rng: Random, hosts: number, binSeconds: number): TGcEffect {
  let share = 0;
  let weightedDelay = 0;
  let healthFailure = 0;
  for (let h = 0; h < hosts; h++) {
    if (rng.next() >= PAUSE_PROBABILITY) continue;
    const pauseMs = logUniform(rng, 150, 1500);
    const hostShare = Math.min(1, (2 * pauseMs) / (binSeconds * 1000)) / hosts;
    share += hostShare;
    weightedDelay += hostShare * pauseMs;
    if (pauseMs > HEALTH_TIMEOUT_MS) healthFailure += (pauseMs - HEALTH_TIMEOUT_MS) / (binSeconds * 1000) / hosts;
  }
  if (share <= 0) return NO_GC;
  return { share, maxDelayMs: weightedDelay / share, healthFailure };
}
