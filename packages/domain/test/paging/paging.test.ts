import { describe, expect, it } from 'vitest';
import type { TActor, TPageableEvent } from '../../src/index.js';
import { escalationDueAt, escalationStep, incidentCallsForPage, onCallAt, pageCausesOf, pageOverdue, whyNotYourContacts } from '../../src/index.js';

const rollback = (actorId: string | null, data: Record<string, unknown> = {}, reason: string | null = 'error rate above 1%'): TPageableEvent => ({
  type: 'release.rollback_started',
  actorId,
  reason,
  data,
});
const incident = (data: Record<string, unknown>): TPageableEvent => ({ type: 'incident.reported', actorId: 'u-1', reason: null, data });

describe('which events call for a page', () => {
  it('pages for an automatic rollback, never for one a person started', () => {
    expect(pageCausesOf([rollback(null)])).toEqual([
      { key: 'rollback', incidentId: null, reason: 'Rampart rolled the release back automatically: error rate above 1%' },
    ]);
    expect(pageCausesOf([rollback('someone')])).toEqual([]);
  });

  it('pages for the top two severities of either scale, or when the response asks for it', () => {
    for (const severity of ['P0', 'P1', 'SEV1', 'SEV2']) {
      expect(incidentCallsForPage(incident({ incidentId: 'i', kind: 'incident', severity }))).toBe(true);
    }
    for (const severity of ['P2', 'P3', 'SEV3', 'SEV4']) {
      expect(incidentCallsForPage(incident({ incidentId: 'i', kind: 'incident', severity }))).toBe(false);
    }
    expect(incidentCallsForPage(incident({ incidentId: 'i', kind: 'security', page: true }))).toBe(true);
    expect(incidentCallsForPage(incident({ incidentId: 'i', kind: 'security', page: 'yes' }))).toBe(false);
    expect(pageCausesOf([incident({ incidentId: 'i-1', kind: 'incident', severity: 'SEV1', title: 'Checkout down' })])).toEqual([
      { key: 'incident:i-1', incidentId: 'i-1', reason: 'SEV1 incident reported: Checkout down' },
    ]);
  });

  it('makes one cause of an incident and the rollback its response started', () => {
    const causes = pageCausesOf([incident({ incidentId: 'i-1', kind: 'incident', severity: 'P0', title: 'Data loss' }), rollback(null)]);
    expect(causes).toEqual([{ key: 'incident:i-1', incidentId: 'i-1', reason: 'P0 incident reported: Data loss; Rampart is rolling the release back' }]);
    // A milder incident does not page by itself, but the automatic rollback it caused does, under its name.
    const mild = pageCausesOf([incident({ incidentId: 'i-2', kind: 'critical_flow', title: 'Orders slow' }), rollback(null, {}, null)]);
    expect(mild).toEqual([{ key: 'incident:i-2', incidentId: 'i-2', reason: 'Rampart rolled the release back automatically after critical flow: Orders slow' }]);
    expect(pageCausesOf([rollback(null, { incidentId: 'i-3' })])[0]).toMatchObject({ key: 'incident:i-3', incidentId: 'i-3' });
  });

  it('ignores every other event', () => {
    const others: TPageableEvent[] = ['release.paused', 'contact.paged', 'page.escalated', 'incident.updated'].map((type) => ({ type, actorId: null, reason: null, data: { severity: 'P0' } }));
    expect(pageCausesOf(others)).toEqual([]);
  });
});

describe('escalation', () => {
  const contacts = [
    { role: 'Owner', name: 'Ann', onCall: false },
    { role: 'On-call engineer', name: 'Bo', onCall: true },
    { role: 'Deployment lead', name: 'Cy', onCall: true },
  ];

  it('pages the on-call contacts in list order and stops when they run out', () => {
    expect(onCallAt(contacts, 0)?.name).toBe('Bo');
    expect(escalationStep(contacts, 0)).toEqual({ kind: 'page', contact: contacts[2], level: 1 });
    expect(escalationStep(contacts, 1)).toEqual({ kind: 'exhausted' });
    expect(onCallAt([], 0)).toBeNull();
  });

  it('is overdue once the acknowledge time has passed, and never once acknowledged or escalated', () => {
    const pagedAt = new Date('2026-03-02T10:00:00Z');
    expect(escalationDueAt(pagedAt, 900).toISOString()).toBe('2026-03-02T10:15:00.000Z');
    const open = { pagedAt, acknowledgedAt: null, escalatedAt: null };
    expect(pageOverdue(open, 900, new Date('2026-03-02T10:14:59Z'))).toBe(false);
    expect(pageOverdue(open, 900, new Date('2026-03-02T10:15:00Z'))).toBe(true);
    expect(pageOverdue({ ...open, acknowledgedAt: pagedAt }, 900, new Date('2026-03-03T00:00:00Z'))).toBe(false);
    expect(pageOverdue({ ...open, escalatedAt: pagedAt }, 900, new Date('2026-03-03T00:00:00Z'))).toBe(false);
  });
});

describe('who may name the contacts', () => {
  const person = (userId: string, role: TActor['role']): TActor => ({ kind: 'user', userId, name: userId, role, approvalRoles: [] });
  it('is the owner or an admin', () => {
    expect(whyNotYourContacts(person('o', 'release_owner'), 'o')).toBeNull();
    expect(whyNotYourContacts(person('a', 'admin'), 'o')).toBeNull();
    expect(whyNotYourContacts(person('x', 'release_owner'), 'o')).toMatch(/owner or an admin/);
  });
});
