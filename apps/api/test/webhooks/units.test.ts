import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, DEFAULT_BACKOFF, nextRetry } from '../../src/webhooks/backoff.js';
import { signatureOf, verifySignature } from '../../src/webhooks/signing.js';
import { hostAllowed, parseAllowedHosts } from '../../src/webhooks/targets.js';

describe('the backoff schedule', () => {
  it('doubles its ceiling from the base up to the cap, with full jitter below it', () => {
    const policy = { baseMs: 1000, capMs: 10_000, windowMs: 60_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffCeilingMs(n, policy))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(nextRetry(3, 0, policy, () => 0)).toEqual({ giveUp: false, delayMs: 0 });
    expect(nextRetry(3, 0, policy, () => 0.5)).toEqual({ giveUp: false, delayMs: 2000 });
    expect(nextRetry(3, 0, policy, () => 0.999999)).toEqual({ giveUp: false, delayMs: 3999 });
    expect(nextRetry(500, 0, policy, () => 0.5)).toEqual({ giveUp: false, delayMs: 5000 });
  });

  it('gives up only once a failed attempt happens after the retry window', () => {
    const policy = { baseMs: 1000, capMs: 10_000, windowMs: 60_000 };
    expect(nextRetry(40, 59_999, policy).giveUp).toBe(false);
    expect(nextRetry(1, 60_000, policy).giveUp).toBe(true);
  });

  it('retries for at least 24 hours by default', () => {
    expect(DEFAULT_BACKOFF.windowMs).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(nextRetry(100, 24 * 3600 * 1000 - 1, DEFAULT_BACKOFF).giveUp).toBe(false);
    // Even the unluckiest jitter keeps a delay within the cap: a receiver back is tried within an hour.
    expect(nextRetry(100, 0, DEFAULT_BACKOFF, () => 0.9999).giveUp === false && backoffCeilingMs(100, DEFAULT_BACKOFF)).toBe(3_600_000);
  });
});

describe('the signature scheme', () => {
  const secret = 'whsec_0123456789abcdef';
  const body = '{"id":"1","type":"release.started"}';

  it('is v1=hex(HMAC-SHA256(secret, timestamp + "." + body))', () => {
    const expected = createHmac('sha256', secret).update(`1772445600.${body}`).digest('hex');
    expect(signatureOf(secret, 1772445600, body)).toBe(`v1=${expected}`);
  });

  it('verifies fresh, exact requests and refuses stale, altered or missing ones', () => {
    const signature = signatureOf(secret, 1000, body);
    const base = { secret, body, timestamp: '1000', signature, nowSeconds: 1000 };
    expect(verifySignature(base)).toBe(true);
    expect(verifySignature({ ...base, nowSeconds: 1300 })).toBe(true);
    expect(verifySignature({ ...base, nowSeconds: 1301 })).toBe(false);
    expect(verifySignature({ ...base, body: `${body} ` })).toBe(false);
    expect(verifySignature({ ...base, secret: 'another-secret-entirely' })).toBe(false);
    expect(verifySignature({ ...base, timestamp: '1001', nowSeconds: 1001 })).toBe(false);
    expect(verifySignature({ ...base, signature: undefined })).toBe(false);
    expect(verifySignature({ ...base, signature: `v0=abc, ${signature}` })).toBe(true);
  });
});

describe('allowed hosts', () => {
  it('parses a comma-separated list; empty means unrestricted', () => {
    expect(parseAllowedHosts(undefined)).toBeNull();
    expect(parseAllowedHosts(' , ')).toBeNull();
    expect(parseAllowedHosts('Hooks.Example.com, *.corp.internal.')).toEqual(['hooks.example.com', '*.corp.internal']);
  });

  it('matches exact names and subdomains of *.suffix patterns', () => {
    const allowed = ['hooks.example.com', '*.corp.internal', '127.0.0.1'];
    expect(hostAllowed('https://hooks.example.com/x', allowed)).toBe(true);
    expect(hostAllowed('https://HOOKS.example.com./x', allowed)).toBe(true);
    expect(hostAllowed('https://a.b.corp.internal/x', allowed)).toBe(true);
    expect(hostAllowed('http://127.0.0.1:9000/x', allowed)).toBe(true);
    expect(hostAllowed('https://corp.internal/x', allowed)).toBe(false);
    expect(hostAllowed('https://evilcorp.internal/x', allowed)).toBe(false);
    expect(hostAllowed('https://hooks.example.com.evil.net/x', allowed)).toBe(false);
    expect(hostAllowed('http://10.0.0.1/x', allowed)).toBe(false);
    expect(hostAllowed('http://10.0.0.1/x', null)).toBe(true);
  });
});
