// The contacts routes, paging for severe incidents, and paging with email off (no RAMPART_SMTP_URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '@rampart/domain';
import { recordEvents } from '../../src/services/releases/persist-change.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { CONTACTS, createPagingPlaybook, eventsOf, rollBackAutomatically, startRelease } from './support.js';

let t: TTestApp;
let playbookId: string;

beforeAll(async () => {
  t = await startTestApp({ env: { RAMPART_NOTIFY_INTERVAL_MS: '50' } });
  playbookId = await createPagingPlaybook(t);
}, 60_000);
afterAll(async () => t?.close());

const REPORTER: TActor = { kind: 'user', userId: null, name: 'support@rampart.test', role: 'viewer', approvalRoles: [] };

/** An incident reported on the release, as the incident service records it. */
async function reportIncident(releaseId: string, details: { severity?: string; kind?: string; page?: boolean; title?: string }) {
  const incident = await t.db.incident.create({
    data: {
      releaseId,
      kind: details.kind ?? 'incident',
      severity: details.severity ?? null,
      title: details.title ?? 'Checkout down',
      source: 'person',
      reportedByName: REPORTER.name,
      action: 'notify',
      startedAt: t.clock.now(),
    },
  });
  await record(releaseId, { incidentId: incident.id, kind: incident.kind, severity: incident.severity, title: incident.title, ...(details.page === undefined ? {} : { page: details.page }) });
  return incident.id;
}

async function record(releaseId: string, data: Record<string, unknown>) {
  await t.db.$transaction(async (tx) => {
    const release = await tx.release.findUniqueOrThrow({ where: { id: releaseId }, select: { revision: true } });
    await recordEvents(tx, releaseId, release.revision, REPORTER, [{ type: 'incident.reported', data }], t.clock.now());
  });
}

describe('GET and PUT /api/releases/:id/contacts', () => {
  it("answers the playbook's contacts until the release names its own, for its owner or an admin", async () => {
    const release = await startRelease(t, playbookId, 'contacts');
    const viewer = await t.as('support');
    const initial = await viewer.get(`/api/releases/${release.id}/contacts`);
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toEqual({ contacts: CONTACTS, pages: [] });

    const contacts = [{ role: 'On-call engineer', name: 'Dee', email: 'dee@example.com', onCall: true }];
    expect((await viewer.put(`/api/releases/${release.id}/contacts`, { contacts })).statusCode).toBe(403);
    expect((await (await t.as('product')).put(`/api/releases/${release.id}/contacts`, { contacts })).statusCode).toBe(403);
    expect((await t.anonymous.put(`/api/releases/${release.id}/contacts`, { contacts })).statusCode).toBe(401);

    const owner = await t.as('owner');
    const stale = await owner.put(`/api/releases/${release.id}/contacts`, { contacts, expectedRevision: release.revision - 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'stale_revision', release: { revision: release.revision } });

    const set = await owner.put(`/api/releases/${release.id}/contacts`, { contacts, expectedRevision: release.revision });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ contacts, pages: [] });
    // The revision moves, so cached views of the release see the change.
    expect((await owner.get(`/api/releases/${release.id}`)).json().revision).toBe(release.revision + 1);
    expect((await (await t.as('admin')).put(`/api/releases/${release.id}/contacts`, { contacts: [] })).json()).toEqual({ contacts: [], pages: [] });
  });

  it('names the field of a bad contact, and 404s an unknown release', async () => {
    const release = await startRelease(t, playbookId, 'bad-input');
    const owner = await t.as('owner');
    const bad = await owner.put(`/api/releases/${release.id}/contacts`, { contacts: [{ role: 'On call', name: 'X', email: 'not-an-address' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('body.contacts.0.email');
    expect((await owner.put(`/api/releases/${release.id}/contacts`, { contacts: 'everyone' })).statusCode).toBe(400);
    expect((await owner.get('/api/releases/00000000-0000-4000-8000-000000000000/contacts')).statusCode).toBe(404);
    expect((await owner.get('/api/releases/not-a-uuid/contacts')).statusCode).toBe(400);
  });
});

describe('paging for incidents', () => {
  it('pages for a SEV1 or P0, or when the response asks, once per incident; not for a P2', async () => {
    const release = await startRelease(t, playbookId, 'incidents');
    const severe = await reportIncident(release.id, { severity: 'SEV1', title: 'Checkout down' });
    await reportIncident(release.id, { severity: 'P2', title: 'Slow search' });
    const asked = await reportIncident(release.id, { kind: 'security', page: true, title: 'Token leak' });
    // The same incident reported again (an alert firing twice) pages nobody twice.
    await record(release.id, { incidentId: severe, kind: 'incident', severity: 'SEV1', title: 'Checkout down' });

    const pages = await t.db.page.findMany({ where: { releaseId: release.id }, orderBy: { pagedAt: 'asc' } });
    expect(pages.map((p) => [p.incidentId, p.reason, p.contactName]).sort()).toEqual(
      [
        [severe, 'SEV1 incident reported: Checkout down', 'Ana Primary'],
        [asked, 'security reported: Token leak', 'Ana Primary'],
      ].sort(),
    );
    const listed = (await (await t.as('support')).get(`/api/releases/${release.id}/contacts`)).json();
    expect(listed.pages).toHaveLength(2);
    expect(listed.pages[0]).toMatchObject({ releaseId: release.id, level: 0, acknowledgedAt: null, escalatedAt: null });
  });

  it('pages nobody when nobody is on call', async () => {
    const release = await startRelease(t, playbookId, 'nobody');
    await (await t.as('owner')).put(`/api/releases/${release.id}/contacts`, { contacts: [{ role: 'Owner', name: 'Olga', email: 'o@example.com' }] });
    await rollBackAutomatically(t, { id: release.id, revision: release.revision + 1 });
    expect(await t.db.page.count({ where: { releaseId: release.id } })).toBe(0);
    expect(await eventsOf(t, release.id, ['contact.paged'])).toEqual([]);
  });
});

describe('with email off', () => {
  it('still pages and escalates, and settles the outbox as not configured rather than keeping stale pages', async () => {
    const release = await startRelease(t, playbookId, 'quiet');
    await rollBackAutomatically(t, release);
    await until('the page settled', async () => (await t.db.page.findFirst({ where: { releaseId: release.id } }))?.deliveredAt != null);
    expect(await t.db.page.findFirstOrThrow({ where: { releaseId: release.id } })).toMatchObject({ deliveryError: 'email_off', deliveryAttempts: 0 });
    t.clock.advance(60);
    await until('the escalation', async () => (await t.db.page.count({ where: { releaseId: release.id } })) === 2);
  });
});
