// When an outbox row is tried again: exponential backoff counted from the row's creation, so the schedule
// needs no column beyond the attempt count and survives restarts. The clock is the server's (tests move it).

export interface TEmailRetryPolicy {
  /** Attempts in all, the first included; then the row is left with its error. */
  maxAttempts: number;
  /** The wait before the second attempt; each later wait doubles. */
  baseSeconds: number;
}

export const DEFAULT_EMAIL_RETRY: TEmailRetryPolicy = { maxAttempts: 6, baseSeconds: 30 };

/** When a row made at `createdAt` with `attempts` failed attempts is due: at once, then after base, 3·base, 7·base... */
export function emailDueAt(createdAt: Date, attempts: number, policy: TEmailRetryPolicy): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  return new Date(createdAt.getTime() + policy.baseSeconds * 1000 * (2 ** attempts - 1));
}
