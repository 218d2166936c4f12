// When to try a failed delivery again: exponential backoff with full jitter (a random delay between 0 and
// min(cap, base * 2^(attempt-1))), for at least `windowMs` after the delivery was queued, then give up.
// Pure: the randomness and the delivery's age come in as arguments.

export interface TBackoffPolicy {
  /** The ceiling of the first retry's delay. */
  baseMs: number;
  /** No delay's ceiling grows past this. */
  capMs: number;
  /** Retries continue until a failed attempt happens at least this long after the delivery was queued. */
  windowMs: number;
}

export const DEFAULT_BACKOFF: TBackoffPolicy = {
  baseMs: 5_000,
  capMs: 60 * 60 * 1000,
  windowMs: 24 * 60 * 60 * 1000,
};

export type TRetryDecision = { giveUp: true } | { giveUp: false; delayMs: number };

/** The delay's ceiling after `attempts` failed attempts (1 = the first attempt failed). */
export function backoffCeilingMs(attempts: number, policy: Pick<TBackoffPolicy, 'baseMs' | 'capMs'>): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/**
 * What to do after the `attempts`-th attempt failed, `ageMs` after the delivery was queued.
 * `random` returns a number in [0, 1), like Math.random.
 */
export function nextRetry(attempts: number, ageMs: number, policy: TBackoffPolicy, random: () => number = Math.random): TRetryDecision {
  if (ageMs >= policy.windowMs) return { giveUp: true };
  const delayMs = Math.floor(random() * backoffCeilingMs(attempts, policy));
  return { giveUp: false, delayMs };
}
