// Messages that go out by themselves, on a real database: at their moments (a ramp, full traffic, an
// incident), every 30 minutes by the autopilot's clock, to a Slack-format receiver on loopback, and to the
// public status page without an incident's private detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPlaybookSpecInput, TRelease, TStatusPage } from '@rampart/contracts';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';
import { FAST_WORKER, Receiver, createWebhook, emitEvents, until } from '../webhooks/support.js';

const SPEC: TPlaybookSpecInput = {
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    { key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 0 },
    { key: 'full', name: 'Everyone', trafficPercent: 100, minBakeSeconds: 7200 },
  ],
  messages: [
    { key: 'announce-public', kind: 'announcement', audience: 'external', title: 'Deployment', body: 'We are rolling out a new {{service}} since {{startedAt}}.' },
    { key: 'progress', kind: 'progress', audience: 'internal', title: 'Progress', body: '{{service}} at {{stage}} ({{percent}}%): {{health}}' },
    { key: 'update', kind: 'progress', audience: 'internal', title: 'Update', on: [], everySeconds: 1800, body: 'Update at {{now}}: {{stage}} ({{percent}}%)' },
    { key: 'watch', kind: 'complete', audience: 'internal', title: 'Watch', on: ['full_traffic'], body: 'Monitoring for 2 hours. Will sign off at {{watchEndsAt}}.' },
    { key: 'incident-p1', kind: 'incident', audience: 'internal', title: 'P1', severity: 'P1', body: '{{severity}}: {{incident}} ({{severityResponse}})' },
    { key: 'incident-p2', kind: 'incident', audience: 'internal', title: 'P2', severity: 'P2', body: '{{severity}}: {{incident}} ({{severityResponse}}), handled by {{incidentHandler}}' },
    { key: 'incident-public', kind: 'incident', audience: 'external', title: 'Investigating', body: 'Looking into: {{incident}}' },
  ],
  incidentLevels: [
    { level: 'P1', criteria: ['Outage'], response: 'Roll back now' },
    { level: 'P2', criteria: ['Errors'], response: 'Investigate, may roll back' },
  ],
};

let t: TTestApp;
let receiver: Receiver;
let playbookId: string;

beforeAll(async () => {
  // The autopilot's timed passes are an hour apart: the test runs its passes with tick().
  t = await startTestApp({ webhooks: FAST_WORKER, autopilotIntervalMs: 3_600_000 });
  receiver = await new Receiver().start(0);
  const created = await (await t.as('admin')).post('/api/playbooks', { key: 'messages-flow', name: 'Messages flow', spec: SPEC });
  expect(created.statusCode, created.body).toBe(201);
  playbookId = created.json().id;
});
afterAll(async () => {
  await receiver.stop();
  await t.close();
});

async function act(release: TRelease, action: string): Promise<TRelease> {
  const response = await (await t.as('owner')).post(`/api/releases/${release.id}/actions/${action}`, { expectedRevision: release.revision });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function startedRelease(service: string): Promise<TRelease> {
  const created = await (await t.as('owner')).post('/api/releases', { service, version: '2.0.0', playbookId });
  expect(created.statusCode, created.body).toBe(201);
  return act(created.json(), 'start');
}

/** "10:40 UTC", as the messages write a time of the test's clock. */
const clockText = (at: Date) => `${at.toISOString().slice(11, 16)} UTC`;

const sent = (releaseId: string) => t.db.sentMessage.findMany({ where: { releaseId }, orderBy: [{ sentAt: 'asc' }, { templateKey: 'asc' }] });
const sentEvents = async (releaseId: string) =>
  (await t.db.releaseEvent.findMany({ where: { releaseId, type: 'message.sent' }, orderBy: { id: 'asc' } })).map((e) => e.data as Record<string, unknown>);

describe('messages at their moments', () => {
  it('a ramp sends the progress template once, as a SentMessage and a message.sent event; Slack gets it once', async () => {
    await createWebhook(t, { url: receiver.url, secret: 'messages-secret-0123456789', events: ['release.ramped', 'message.sent'], format: 'slack' });
    let release = await startedRelease('ramped');
    expect((await sent(release.id)).map((m) => [m.templateKey, m.occasion])).toEqual([['announce-public', 'start']]);

    release = await act(release, 'ramp');
    const progress = (await sent(release.id)).filter((m) => m.templateKey === 'progress');
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatchObject({ occasion: 'ramp:canary', audience: 'internal', title: 'Progress', emailedAt: null });
    // Just ramped: the stage it left passed nothing and failed nothing, so the health says why it is unknown.
    expect(progress[0]!.text).toBe('ramped at Canary (5%): Unknown (no verdict yet at Canary)');
    expect(await sentEvents(release.id)).toEqual([
      expect.objectContaining({ template: 'announce-public', moment: 'start', occasion: 'start', channels: ['status_page'] }),
      expect.objectContaining({ template: 'progress', moment: 'ramp', occasion: 'ramp:canary', channels: ['email', 'slack'] }),
    ]);

    // The template rides on release.ramped; the message.sent of each sending is only a one-line summary.
    await until('start and ramp at the receiver', () => receiver.received.length >= 3);
    const texts = receiver.received.map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(texts.filter((text) => text.startsWith('ramped at Canary'))).toEqual(['ramped at Canary (5%): Unknown (no verdict yet at Canary)']);
    expect(texts.filter((text) => text.includes('message.sent by messages'))).toHaveLength(2);
    await t.db.webhook.deleteMany({});

    // The same moment marked again (a replayed event) sends nothing new.
    await emitEvents(t.db, release.id, [{ type: 'release.ramped', data: { toStage: 'canary', toPercent: 5 } }]);
    expect((await sent(release.id)).filter((m) => m.templateKey === 'progress')).toHaveLength(1);
  });

  it('at full traffic sends the watch message with the time it ends, not at completion', async () => {
    let release = await startedRelease('watched');
    release = await act(release, 'ramp');
    t.clock.advance(600);
    release = await act(release, 'ramp');
    const watch = (await sent(release.id)).find((m) => m.templateKey === 'watch');
    // Two hours of watch from the ramp to 100%.
    const endsAt = new Date(t.clock.now().getTime() + 7200_000);
    expect(watch).toMatchObject({ occasion: 'full_traffic', text: `Monitoring for 2 hours. Will sign off at ${clockText(endsAt)}.` });
    expect((await sent(release.id)).map((m) => m.templateKey)).toEqual(['announce-public', 'progress', 'progress', 'watch']);
  });

  it('an incident sends the template of its own severity, with that severity\'s response', async () => {
    const release = await startedRelease('incident');
    const reported = await (await t.as('support')).post(`/api/releases/${release.id}/incidents`, {
      kind: 'incident',
      severity: 'P2',
      title: 'Checkout errors for EU users',
      detail: 'secret-detail: stack trace at db.ts:42',
      handler: 'Dana Duty',
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const incidentId = reported.json().id as string;
    const messages = await sent(release.id);
    expect(messages.map((m) => m.templateKey)).toEqual(['announce-public', 'incident-p2', 'incident-public']);
    expect(messages.find((m) => m.templateKey === 'incident-p2')).toMatchObject({
      occasion: `incident:${incidentId}`,
      text: 'P2: Checkout errors for EU users (Investigate, may roll back), handled by Dana Duty',
    });
    // The public template never carries the title: without a public note it says so in general words.
    expect(messages.find((m) => m.templateKey === 'incident-public')?.text).toBe('Looking into: an issue we are investigating');
  });
  it('quotes the incident it is sent for, even when a later one was reported at the same instant', async () => {
    const release = await startedRelease('incident-pair');
    const support = await t.as('support');
    // The test clock stands still: both reports carry the same time.
    const first = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P1', title: 'Payments down' });
    const second = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'incident', severity: 'P2', title: 'Slow search' });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    const messages = await sent(release.id);
    expect(messages.find((m) => m.occasion === `incident:${first.json().id}` && m.templateKey === 'incident-p1')?.text).toMatch(/^P1: Payments down/);
    expect(messages.find((m) => m.occasion === `incident:${second.json().id}` && m.templateKey === 'incident-p2')?.text).toMatch(/^P2: Slow search/);
  });
});

describe('scheduled updates', () => {
  it('go out every 30 minutes while running, once per period, only the latest period after a gap', async () => {
    const receiverAt = receiver.received.length;
    await createWebhook(t, { url: receiver.url, secret: 'messages-secret-0123456789', events: ['message.sent'], format: 'slack' });
    const release = await startedRelease('scheduled');
    const startedAt = t.clock.now().getTime();
    const updates = async () => (await sent(release.id)).filter((m) => m.templateKey === 'update').map((m) => [m.occasion, m.text]);
    const pass = () => t.app.autopilot!.tick();

    t.clock.advance(29 * 60);
    await pass();
    expect(await updates()).toEqual([]);
    t.clock.advance(60);
    await pass();
    await pass();
    expect(await updates()).toEqual([['every:1', `Update at 2026-03-02 ${clockText(new Date(startedAt + 1800_000))}: Staging (0%)`]]);

    // Down for over an hour: one update for the period it is in, not the ones it missed.
    t.clock.advance(65 * 60);
    await pass();
    expect((await updates()).map(([occasion]) => occasion)).toEqual(['every:1', 'every:3']);

    // Paused: no update is due.
    const current = (await (await t.as('owner')).get(`/api/releases/${release.id}`)).json() as TRelease;
    await act(current, 'pause');
    t.clock.advance(30 * 60);
    await pass();
    expect((await updates()).map(([occasion]) => occasion)).toEqual(['every:1', 'every:3']);
    expect((await sentEvents(release.id)).filter((e) => e.template === 'update').map((e) => e.occasion)).toEqual(['every:1', 'every:3']);

    // A scheduled update has no event of its own, so Slack gets it with its message.sent.
    await until('both updates at the Slack receiver', () =>
      receiver.received.slice(receiverAt).filter((r) => (JSON.parse(r.body) as { text: string }).text.startsWith('Update at')).length >= 2,
    );
    await t.db.webhook.deleteMany({});
  });
});

describe('the public status page', () => {
  it("shows the latest external message and each incident's public note, never its detail, title or handler", async () => {
    const release = await startedRelease('public');
    const support = await t.as('support');
    const first = await support.post(`/api/releases/${release.id}/incidents`, {
      kind: 'incident',
      severity: 'P2',
      title: 'private-title: EU checkout failing',
      detail: 'secret-detail: the db pool is exhausted',
      publicNote: 'Some payments are slow; we are on it.',
      handler: 'Dana Duty',
      link: 'https://alerts.example.com/private/42',
    });
    expect(first.statusCode, first.body).toBe(201);
    const firstText = (await sent(release.id)).find((m) => m.templateKey === 'incident-public')?.text;
    expect(firstText).toBe('Looking into: Some payments are slow; we are on it.');
    t.clock.advance(60);
    const second = await support.post(`/api/releases/${release.id}/incidents`, { kind: 'user_reports', title: 'private-title: odd totals' });
    expect(second.statusCode, second.body).toBe(201);

    let page: TStatusPage | null = null;
    await until('the status page to show both incidents', async () => {
      page = (await t.anonymous.get('/api/status')).json() as TStatusPage;
      return page.active.find((r) => r.id === release.id)?.incidents.length === 2;
    }, 15_000);
    const card = page!.active.find((r) => r.id === release.id)!;
    // The latest external sending is the second incident's, which has no public note.
    expect(card).toMatchObject({
      health: 'degraded',
      message: { title: 'Investigating', text: 'Looking into: an issue we are investigating', sentAt: t.clock.now().toISOString() },
      incidents: [
        { severity: 'P2', status: 'open', note: 'Some payments are slow; we are on it.' },
        { severity: null, status: 'open', note: 'Investigating an issue' },
      ],
    });
    expect(page!.summary).toBe('degraded');
    const body = JSON.stringify(page);
    for (const secret of ['secret-detail', 'private-title', 'Dana Duty', 'alerts.example.com', 'support@rampart.test']) expect(body).not.toContain(secret);

    // The release page lists each template with when it last went out.
    const messages = (await support.get(`/api/releases/${release.id}/messages`)).json().messages as { key: string; sentAt: string | null }[];
    expect(messages.find((m) => m.key === 'incident-public')?.sentAt).toEqual(expect.any(String));
    expect(messages.find((m) => m.key === 'watch')?.sentAt).toBeNull();
  });
});
