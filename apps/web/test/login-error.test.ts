// The sign-in page's words for a refused login, from the web client's own fetch against a real API on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, apiFetch } from '../src/api/client';
import { describeLoginError } from '../src/lib/login-error';
import { USERS, startTestApp } from '../../api/test/support/test-app.js';
import type { TTestApp } from '../../api/test/support/test-app.js';

let t: TTestApp;
let base: string;
const browserFetch = globalThis.fetch;

beforeAll(async () => {
  t = await startTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  // The client asks for same-origin paths, as in the browser; here the origin is the test server.
  globalThis.fetch = (input, init) => browserFetch(typeof input === 'string' && input.startsWith('/') ? `${base}${input}` : input, init);
});
afterAll(async () => {
  globalThis.fetch = browserFetch;
  await t.close();
});

async function failedLogin(email: string, password: string): Promise<unknown> {
  try {
    await apiFetch('/api/auth/login', { body: { email, password } });
  } catch (error) {
    return error;
  }
  throw new Error('the login succeeded');
}

describe('a refused sign-in', () => {
  it('says the email or password is wrong, not that a session ended', async () => {
    const error = await failedLogin(USERS.support, 'not-the-password');
    expect(error).toMatchObject({ status: 401 });
    expect(describeLoginError(error)).toBe('The email or password is wrong. Check them and try again.');
    expect(describeLoginError(error)).not.toMatch(/session/i);
  });

  it('says how long to wait once the attempts are throttled, from Retry-After', async () => {
    let error: unknown;
    for (let attempt = 0; attempt < 30; attempt += 1) {
      error = await failedLogin(USERS.infra, `wrong-${attempt}`);
      if (error instanceof ApiError && error.status === 429) break;
    }
    expect(error).toMatchObject({ status: 429 });
    const wait = (error as ApiError).retryAfterSeconds;
    expect(wait).toBeGreaterThan(0);
    expect(describeLoginError(error)).toMatch(/^Too many failed sign-ins\. Wait (\d+m( \d+s)?|\d+s) and try again\.$/);
  });

  it('leaves other errors to the general wording', () => {
    expect(describeLoginError(new ApiError(0, null, 'network error'))).toMatch(/cannot be reached/);
  });
});
