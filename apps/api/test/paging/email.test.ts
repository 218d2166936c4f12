// Paging and the email outbox against a real SMTP server on loopback: a page arrives after an automatic
// rollback, escalates down the on-call list as the server's clock passes the acknowledge time, stops when
// acknowledged, and internal messages reach every contact once.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { RELEASE_LINK_MARK } from '../../src/services/messages/link-base.js';
import type { TSmtpServer } from './smtp.js';
import { startSmtpServer } from './smtp.js';
import { ACKNOWLEDGE_WITHIN_SECONDS, createPagingPlaybook, eventsOf, rollBackAs, rollBackAutomatically, startRelease } from './support.js';

const PASSWORD = 'pa$$word-never-shown';

let smtp: TSmtpServer;
let t: TTestApp;
let playbookId: string;

beforeAll(async () => {
  smtp = await startSmtpServer({ user: 'rampart', password: PASSWORD, refuse: ['bounce@example.com'] });
  t = await startTestApp({
    env: {
      RAMPART_SMTP_URL: `smtp://rampart:${encodeURIComponent(PASSWORD)}@127.0.0.1:${smtp.port}`,
      RAMPART_SMTP_FROM: 'Rampart <rampart@example.com>',
      RAMPART_NOTIFY_INTERVAL_MS: '50',
    },
  });
  playbookId = await createPagingPlaybook(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const mailTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address));
const pagesOf = (releaseId: string) => t.db.page.findMany({ where: { releaseId }, orderBy: { level: 'asc' } });

describe('a page by email', () => {
  it('goes to the first on-call contact after an automatic rollback, with the release and how to acknowledge', async () => {
    const release = await startRelease(t, playbookId, 'checkout');
    await rollBackAutomatically(t, release);

    await until('the page email', () => mailTo('ana@example.com').length === 1);
    const [mail] = mailTo('ana@example.com');
    expect(mail!.subject).toBe('[Rampart] Page: checkout 1.2.3: Rampart rolled the release back automatically: Error rate 4.1% is above 1%');
    expect(mail!.from).toBe('rampart@example.com');
    expect(mail!.headers['to']).toContain('Ana Primary');
    await until('the page marked delivered', async () => (await pagesOf(release.id))[0]?.deliveredAt != null);
    const [page] = await pagesOf(release.id);
    expect(mail!.text).toContain(`https://rampart.example.com/releases/${release.id}`);
    expect(mail!.text).toContain(`https://rampart.example.com/api/releases/${release.id}/pages/${page!.id}/acknowledge`);
    expect(page).toMatchObject({ level: 0, contactName: 'Ana Primary', incidentId: null, deliveryAttempts: 1, deliveryError: null });
    expect(page!.deliveredAt).not.toBeNull();

    const paged = await eventsOf(t, release.id, ['contact.paged']);
    expect(paged).toHaveLength(1);
    expect(paged[0]).toMatchObject({ actorId: null, actorName: 'paging', data: { pageId: page!.id, level: 0, name: 'Ana Primary' } });
    // The address travels by email only, never in events (they go to webhooks and the audit log).
    expect(JSON.stringify(paged[0]!.data)).not.toContain('@');

    // A later automatic change of the same release does not page again for the same rollback.
    await t.app.notify.tick();
    expect(await pagesOf(release.id)).toHaveLength(1);
  });

  it('is not sent when a person rolls back: they are awake already', async () => {
    const release = await startRelease(t, playbookId, 'search');
    await rollBackAs(t, 'owner', release);
    await t.app.notify.tick();
    expect(await pagesOf(release.id)).toEqual([]);
  });
});

describe('escalation', () => {
  it('pages the next on-call contact once the acknowledge time passes, and asks for attention after the last', async () => {
    const release = await startRelease(t, playbookId, 'payments');
    await rollBackAutomatically(t, release);
    await until('the first page email', () => mailTo('ana@example.com').some((m) => m.subject.includes('payments')));

    // Not yet: one second short of the acknowledge time.
    t.clock.advance(ACKNOWLEDGE_WITHIN_SECONDS - 1);
    await t.app.notify.tick();
    expect(await pagesOf(release.id)).toHaveLength(1);

    t.clock.advance(1);
    await until('the escalation email', () => mailTo('ben@example.com').some((m) => m.subject.includes('payments')));
    const escalated = mailTo('ben@example.com').find((m) => m.subject.includes('payments'))!;
    expect(escalated.text).toContain('did not acknowledge within 1m');
    let pages = await pagesOf(release.id);
    expect(pages.map((p) => [p.level, p.contactName, p.escalatedAt !== null])).toEqual([
      [0, 'Ana Primary', true],
      [1, 'Ben Second', false],
    ]);
    expect((await eventsOf(t, release.id, ['page.escalated', 'contact.paged'])).map((e) => e.type)).toEqual(['contact.paged', 'page.escalated', 'contact.paged']);

    // The third on-call contact has no address: paged all the same, the outbox says why no email went.
    t.clock.advance(ACKNOWLEDGE_WITHIN_SECONDS);
    await until('the third page', async () => (await pagesOf(release.id)).some((p) => p.level === 2 && p.deliveredAt !== null));
    pages = await pagesOf(release.id);
    expect(pages[2]).toMatchObject({ contactName: 'Cy Nomail', deliveryError: 'no_address', deliveryAttempts: 0 });

    // Nobody is left: the release needs a person, once.
    t.clock.advance(ACKNOWLEDGE_WITHIN_SECONDS);
    await until('the call for attention', async () => (await eventsOf(t, release.id, ['release.needs_attention'])).length === 1);
    t.clock.advance(ACKNOWLEDGE_WITHIN_SECONDS * 10);
    await t.app.notify.tick();
    await t.app.notify.tick();
    const attention = await eventsOf(t, release.id, ['release.needs_attention']);
    expect(attention).toHaveLength(1);
    expect(attention[0]!.data).toMatchObject({ reason: 'page_unacknowledged' });
    expect(await pagesOf(release.id)).toHaveLength(3);
  });

  it('stops when someone acknowledges; a second acknowledgement is a conflict', async () => {
    const release = await startRelease(t, playbookId, 'ledger');
    await rollBackAutomatically(t, release);
    const [page] = await pagesOf(release.id);
    expect(page).toBeDefined();

    expect((await t.anonymous.post(`/api/releases/${release.id}/pages/${page!.id}/acknowledge`)).statusCode).toBe(401);
    const support = await t.as('support');
    const acknowledged = await support.post(`/api/releases/${release.id}/pages/${page!.id}/acknowledge`);
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json()).toMatchObject({ id: page!.id, acknowledgedBy: 'support@rampart.test', acknowledgedAt: t.clock.now().toISOString() });
    const again = await (await t.as('owner')).post(`/api/releases/${release.id}/pages/${page!.id}/acknowledge`);
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/support@rampart.test acknowledged this page already/);
    expect((await support.post(`/api/releases/${release.id}/pages/00000000-0000-4000-8000-000000000000/acknowledge`)).statusCode).toBe(404);

    t.clock.advance(ACKNOWLEDGE_WITHIN_SECONDS * 5);
    await t.app.notify.tick();
    await t.app.notify.tick();
    expect(await pagesOf(release.id)).toHaveLength(1);
    expect((await eventsOf(t, release.id, ['page.acknowledged', 'page.escalated'])).map((e) => e.type)).toEqual(['page.acknowledged']);
    expect(mailTo('ben@example.com').filter((m) => m.subject.includes('ledger'))).toEqual([]);
  });
});

describe('internal messages by email', () => {
  it('reach every contact with an address, once; external ones are not mailed', async () => {
    const release = await startRelease(t, playbookId, 'inventory');
    // As the communication service writes them when a template's moment comes.
    const internal = await t.db.sentMessage.create({
      data: { releaseId: release.id, templateKey: 'progress', occasion: 'ramp:full', audience: 'internal', title: 'Progress update', text: `inventory 1.2.3 is at 100%. Details: ${RELEASE_LINK_MARK}`, sentAt: t.clock.now() },
    });
    const external = await t.db.sentMessage.create({
      data: { releaseId: release.id, templateKey: 'status', occasion: 'ramp:full', audience: 'external', title: 'Status', text: 'All good.', sentAt: t.clock.now() },
    });
    await until('the message email', () => smtp.received.some((m) => m.subject.includes('Progress update')));
    await t.app.notify.tick();
    await t.app.notify.tick();
    const mails = smtp.received.filter((m) => m.subject.includes('inventory'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('[Rampart] inventory 1.2.3: Progress update');
    expect(mails[0]!.to.sort()).toEqual(['ana@example.com', 'ben@example.com', 'olga@example.com']);
    expect(mails[0]!.text).toContain(`inventory 1.2.3 is at 100%. Details: https://rampart.example.com/releases/${release.id}`);
    expect(mails[0]!.text).not.toContain('\uE000');
    expect(await t.db.sentMessage.findUniqueOrThrow({ where: { id: internal.id } })).toMatchObject({ emailAttempts: 1, emailError: null, emailedAt: t.clock.now() });
    expect(await t.db.sentMessage.findUniqueOrThrow({ where: { id: external.id } })).toMatchObject({ emailAttempts: 0, emailedAt: null });
  });
});

describe('a refused email', () => {
  it('is tried again with backoff, stores the status code and never the server text, and gives up after its attempts', async () => {
    const release = await startRelease(t, playbookId, 'bounces');
    const owner = await t.as('owner');
    const set = await owner.put(`/api/releases/${release.id}/contacts`, { contacts: [{ role: 'On-call engineer', name: 'Bounce', email: 'bounce@example.com', onCall: true }] });
    expect(set.statusCode).toBe(200);
    await rollBackAutomatically(t, { id: release.id, revision: release.revision + 1 });
    const pageOf = async () => (await pagesOf(release.id))[0]!;
    await until('the first attempt', async () => (await pageOf()).deliveryAttempts === 1);
    const first = await pageOf();
    expect(first.deliveryError).toBe('smtp_550');
    expect(first.deliveredAt).toBeNull();

    // Not again before the backoff (30 s after the first attempt), then again once it has passed.
    await t.app.notify.tick();
    expect((await pageOf()).deliveryAttempts).toBe(1);
    t.clock.advance(30);
    await until('the second attempt', async () => (await pageOf()).deliveryAttempts === 2);

    // Six attempts in all, then the row keeps its error and is left alone.
    t.clock.advance(3600);
    await until('the last attempt', async () => (await pageOf()).deliveryAttempts === 6);
    await t.app.notify.tick();
    const last = await pageOf();
    expect(last.deliveryAttempts).toBe(6);
    expect(last.deliveredAt).toBeNull();
    expect(JSON.stringify(last)).not.toMatch(/weather|unavailable/);
  });
});

describe('the SMTP password', () => {
  it('is in no printable form of the settings', () => {
    const smtpSettings = t.app.settings.smtp;
    expect(smtpSettings?.describe()).toBe(`smtp://rampart@127.0.0.1:${smtp.port}`);
    expect(JSON.stringify(t.app.settings)).not.toContain(PASSWORD);
    expect(inspect(t.app.settings, { depth: 10 })).not.toContain(PASSWORD);
    expect(inspect(smtpSettings, { depth: 10, showHidden: true })).not.toContain(PASSWORD);
  });
});
