// What a failed sign-in tells the person. A 401 from the login endpoint means the email or password is wrong,
// not that a session ended; a 429 says how long to wait, from Retry-After.
import { ApiError, describeError } from '../api/client';
import { formatDuration } from './format';

export function describeLoginError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'The email or password is wrong. Check them and try again.';
    if (error.status === 429) {
      const wait = error.retryAfterSeconds;
      return wait ? `Too many failed sign-ins. Wait ${formatDuration(wait)} and try again.` : 'Too many failed sign-ins. Wait a few minutes and try again.';
    }
  }
  return describeError(error);
}
