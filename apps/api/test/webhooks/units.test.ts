import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, DEFAULT_BACKOFF, nextRetry } from '../../src/webhooks/backoff.js';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ZWebhookSecret } from '@rampart/contracts';
import { signedHeaders, signerOf } from '../../src/webhooks/signing.js';
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

describe('Standard Webhooks signatures', () => {
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const body = '{"id":"1","type":"release.started"}';
  const at = new Date();

  it('signs id.timestamp.body with the whsec_ key, and the reference verifier accepts it', () => {
    const headers = signedHeaders({ secrets: [secret], messageId: '1842:5b1f', timestamp: at, body });
    expect(headers['webhook-id']).toBe('1842:5b1f');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`1842:5b1f.${headers['webhook-timestamp']}.${body}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('refuses an altered body, another id (a replay under a new key), another secret', () => {
    const headers = signedHeaders({ secrets: [secret], messageId: '1842:5b1f', timestamp: at, body });
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': '1843:5b1f' })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 8).toString('base64')}`).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it('during a rotation signs with both secrets, space-separated, so receivers holding either verify', () => {
    const old = 'a-legacy-secret-0123456789';
    const headers = signedHeaders({ secrets: [secret, old], messageId: '7:abc', timestamp: at, body });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(secret).verify(body, headers)).toBeTruthy();
    expect(new Webhook(old, { format: 'raw' }).verify(body, headers)).toBeTruthy();
  });

  it('uses a secret that is not whsec_<base64> as raw bytes, as { format: "raw" } reads it', () => {
    for (const raw of ['matrix-secret-0123456789', 'whsec_not_base64_at_all!']) {
      expect(signerOf(raw).sign('1:x', at, body)).toBe(new Webhook(raw, { format: 'raw' }).sign('1:x', at, body));
    }
  });
});

describe('webhook secrets in the contract', () => {
  it('takes whsec_ with 24 to 64 bytes of base64, or other printable ASCII', () => {
    const ok = (s: string) => ZWebhookSecret.safeParse(s).success;
    expect(ok(`whsec_${Buffer.alloc(24).toString('base64')}`)).toBe(true);
    expect(ok(`whsec_${Buffer.alloc(64).toString('base64')}`)).toBe(true);
    expect(ok(`whsec_${Buffer.alloc(16).toString('base64')}`)).toBe(false);
    expect(ok('whsec_loopback_0123456789')).toBe(false);
    expect(ok('plain-secret-0123456789')).toBe(true);
    expect(ok('with space 0123456789')).toBe(false);
    expect(ok('nul\u0000secret-0123456789')).toBe(false);
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
