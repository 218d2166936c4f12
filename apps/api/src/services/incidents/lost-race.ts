import { ServiceError } from '../../errors.js';

/** A write lost to a concurrent change (often an autopilot verdict) is read and tried again this often. */
const ATTEMPTS = 5;

/**
 * Runs `work` again when it lost the release's revision to a concurrent writer. Reporting a problem does not
 * depend on what the reporter saw, so a lost race is no conflict to show them, only a reason to read again.
 */
export async function retryLostRace<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const lost = error instanceof ServiceError && error.kind === 'stale_revision';
      if (!lost || attempt >= ATTEMPTS) throw error;
    }
  }
}
