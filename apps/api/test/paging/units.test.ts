import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { failureWord } from '../../src/notify/failure.js';
import { DEFAULT_EMAIL_RETRY, emailDueAt } from '../../src/notify/retry.js';
import { contactsOf } from '../../src/services/contacts/contacts-of.js';

describe('email settings', () => {
  it('reads the SMTP URL, port and sender, and never prints the password', () => {
    const config = loadConfig({ RAMPART_SMTP_URL: 'smtps://mailer%40corp:p%40ss@mail.example.com', RAMPART_PUBLIC_URL: 'https://rampart.example.com' });
    expect(config.smtp).toMatchObject({ host: 'mail.example.com', port: 465, secure: true, user: 'mailer@corp', from: 'Rampart <rampart@rampart.example.com>' });
    expect(config.smtp?.auth()).toEqual({ user: 'mailer@corp', pass: 'p@ss' });
    expect(JSON.stringify(config)).not.toContain('p@ss');
    expect(loadConfig({}).smtp).toBeNull();
    expect(loadConfig({ RAMPART_SMTP_URL: 'smtp://mail.example.com' }).smtp).toMatchObject({ port: 587, secure: false, user: null });
  });

  it('names the variable of a bad value without echoing it', () => {
    expect(() => loadConfig({ RAMPART_SMTP_URL: 'http://user:hunter2@mail.example.com' })).toThrow(ConfigError);
    try {
      loadConfig({ RAMPART_SMTP_URL: 'http://user:hunter2@mail.example.com' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['RAMPART_SMTP_URL: must start with smtp:// or smtps://']);
    }
    expect(() => loadConfig({ RAMPART_SMTP_URL: 'smtp://m.example.com', RAMPART_SMTP_FROM: 'nobody' })).toThrow(/RAMPART_SMTP_FROM/);
  });
});

describe('a failed send', () => {
  it('is stored as a fixed word or the status code, never the text', () => {
    expect(failureWord(Object.assign(new Error('535 5.7.8 no, and here is why: ...'), { code: 'EAUTH', responseCode: 535 }))).toBe('auth_failed');
    expect(failureWord(Object.assign(new Error('550 go away'), { code: 'EENVELOPE', responseCode: 550 }))).toBe('smtp_550');
    expect(failureWord(Object.assign(new Error('x'), { code: 'ECONNECTION' }))).toBe('connection_failed');
    expect(failureWord(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toBe('timeout');
    expect(failureWord('something odd')).toBe('send_failed');
  });

  it('is tried again after 30 s, 90 s, 210 s... from the first attempt, six times in all', () => {
    const created = new Date('2026-03-02T10:00:00Z');
    const dues = [0, 1, 2, 3, 4, 5].map((attempts) => (emailDueAt(created, attempts, DEFAULT_EMAIL_RETRY)!.getTime() - created.getTime()) / 1000);
    expect(dues).toEqual([0, 30, 90, 210, 450, 930]);
    expect(emailDueAt(created, 6, DEFAULT_EMAIL_RETRY)).toBeNull();
  });
});

describe('contactsOf', () => {
  const playbookSpec = { contacts: [{ role: 'On call', name: 'Ann', onCall: true }] };
  it("takes the release's own list, else its playbook's", () => {
    expect(contactsOf({ contacts: null, playbookSpec })).toEqual([{ role: 'On call', name: 'Ann', onCall: true }]);
    expect(contactsOf({ contacts: [], playbookSpec })).toEqual([]);
    expect(contactsOf({ contacts: [{ role: 'Lead', name: 'Bo' }], playbookSpec })).toEqual([{ role: 'Lead', name: 'Bo', onCall: false }]);
    expect(contactsOf({ contacts: null }, { contacts: [{ role: 'Lead', name: 'Cy', onCall: true }] })).toEqual([{ role: 'Lead', name: 'Cy', onCall: true }]);
    expect(contactsOf({ contacts: null, playbookSpec: {} })).toEqual([]);
  });
});
