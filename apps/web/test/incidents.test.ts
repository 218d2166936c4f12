import type { TIncident, TPage } from '@rampart/contracts';
import { describe, expect, it } from 'vitest';
import { groupByRole, nextStatuses, pageState, severitiesFor, severityTone, sortIncidents, whyNoReport } from '../src/lib/incidents';

let seq = 0;
function incident(over: Partial<TIncident>): TIncident {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    releaseId: '00000000-0000-4000-8000-000000000000',
    kind: 'incident',
    severity: 'P2',
    status: 'open',
    title: `incident ${seq}`,
    detail: '',
    publicNote: null,
    link: null,
    handler: null,
    source: 'person',
    reportedBy: 'support@rampart.test',
    action: 'notify',
    startedAt: '2026-11-29T12:00:00.000Z',
    mitigatedAt: null,
    resolvedAt: null,
    createdAt: '2026-11-29T12:00:00.000Z',
    ...over,
  };
}

describe('the report form', () => {
  it("offers the playbook's own scale, and both while it is not known", () => {
    expect(severitiesFor('P0-P3')).toEqual(['P0', 'P1', 'P2', 'P3']);
    expect(severitiesFor('SEV1-SEV4')).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4']);
    expect(severitiesFor(null)).toHaveLength(8);
  });

  it('is refused, in words, on a release that has not started or has finished', () => {
    for (const state of ['running', 'paused', 'rolling_back'] as const) expect(whyNoReport(state)).toBeNull();
    expect(whyNoReport('draft')).toMatch(/not started/);
    expect(whyNoReport('rolled_back')).toMatch(/finished/);
    expect(whyNoReport('completed')).toMatch(/finished/);
  });
});

describe('incidents in the list', () => {
  it('only move forward', () => {
    expect(nextStatuses('open')).toEqual(['mitigated', 'resolved']);
    expect(nextStatuses('mitigated')).toEqual(['resolved']);
    expect(nextStatuses('resolved')).toEqual([]);
  });

  it('show the two paging levels of either scale as severe', () => {
    expect([severityTone('P0'), severityTone('P1'), severityTone('SEV1'), severityTone('SEV2')]).toEqual(['bad', 'bad', 'bad', 'bad']);
    expect(severityTone('P2')).toBe('warn');
    expect(severityTone('SEV4')).toBe('neutral');
  });

  it('put open ones first, the most severe and newest first within', () => {
    const resolved = incident({ status: 'resolved', severity: 'P0' });
    const minor = incident({ severity: 'P3' });
    const severeOld = incident({ severity: 'P1', startedAt: '2026-11-29T10:00:00.000Z' });
    const severeNew = incident({ severity: 'P1', startedAt: '2026-11-29T11:00:00.000Z' });
    const problem = incident({ kind: 'security', severity: null });
    expect(sortIncidents([resolved, minor, problem, severeOld, severeNew]).map((i) => i.id)).toEqual([
      severeNew.id,
      severeOld.id,
      minor.id,
      problem.id,
      resolved.id,
    ]);
  });
});

describe('people and pages', () => {
  it('group contacts by role in list order', () => {
    const groups = groupByRole([
      { role: 'On-call engineer', name: 'A' },
      { role: 'Deployment lead', name: 'B' },
      { role: 'On-call engineer', name: 'C' },
    ]);
    expect(groups.map((g) => [g.role, g.people.map((p) => p.name)])).toEqual([
      ['On-call engineer', ['A', 'C']],
      ['Deployment lead', ['B']],
    ]);
  });

  it('say whether a page waits, was escalated or acknowledged', () => {
    const page: TPage = {
      id: '00000000-0000-4000-8000-000000000001',
      releaseId: '00000000-0000-4000-8000-000000000000',
      incidentId: null,
      reason: 'automatic rollback',
      contactRole: 'On-call engineer',
      contactName: 'A',
      level: 0,
      pagedAt: '2026-11-29T12:00:00.000Z',
      acknowledgedAt: null,
      acknowledgedBy: null,
      escalatedAt: null,
    };
    expect(pageState(page)).toBe('waiting');
    expect(pageState({ ...page, escalatedAt: '2026-11-29T12:15:00.000Z' })).toBe('escalated');
    expect(pageState({ ...page, escalatedAt: '2026-11-29T12:15:00.000Z', acknowledgedAt: '2026-11-29T12:16:00.000Z' })).toBe('acknowledged');
  });
});
