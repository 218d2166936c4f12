import { describe, expect, it } from 'vitest';
import type { TIncidentResponseSpec, TPlaybookSpecInput } from '@rampart/contracts';
import { ZPlaybookSpec } from '@rampart/contracts';
import { incidentReason, incidentResponse, releaseActionOf, severityOffScale, strongerAction, whyNoIncident, whyNoStatusChange } from '../../src/index.js';

const STAGES: TPlaybookSpecInput['stages'] = [{ key: 'canary', name: 'Canary', trafficPercent: 5, minBakeSeconds: 0 }];

function spec(incidentResponses: Partial<TIncidentResponseSpec>[], incidentScale: 'P0-P3' | 'SEV1-SEV4' = 'P0-P3') {
  return ZPlaybookSpec.parse({ stages: STAGES, incidentScale, incidentResponses });
}

describe("the playbook's response to a problem", () => {
  const playbook = spec([
    { kinds: ['security'], action: 'rollback' },
    { kinds: ['incident'], severities: ['P0', 'P1'], action: 'rollback', page: true },
    { kinds: ['incident'], severities: ['P2'], action: 'pause' },
    { severities: ['P0'], action: 'hold', page: true },
    { kinds: ['user_reports'], action: 'hold' },
  ]);

  it('takes the matching rule by kind and by severity', () => {
    expect(incidentResponse(playbook, { kind: 'security', severity: null })).toEqual({ action: 'rollback', page: false });
    expect(incidentResponse(playbook, { kind: 'incident', severity: 'P1' })).toEqual({ action: 'rollback', page: true });
    expect(incidentResponse(playbook, { kind: 'incident', severity: 'P2' })).toEqual({ action: 'pause', page: false });
    expect(incidentResponse(playbook, { kind: 'user_reports', severity: null })).toEqual({ action: 'hold', page: false });
  });

  it('lets the strongest of several matching rules win, and pages if any of them pages', () => {
    // "any P0 holds and pages" and "security rolls back" both match a P0 security problem.
    expect(incidentResponse(playbook, { kind: 'security', severity: 'P0' })).toEqual({ action: 'rollback', page: true });
    expect(incidentResponse(playbook, { kind: 'user_reports', severity: 'P0' })).toEqual({ action: 'hold', page: true });
  });

  it('notifies, without paging, when nothing matches or the playbook says nothing', () => {
    expect(incidentResponse(playbook, { kind: 'incident', severity: 'P3' })).toEqual({ action: 'notify', page: false });
    expect(incidentResponse(playbook, { kind: 'other', severity: null })).toEqual({ action: 'notify', page: false });
    expect(incidentResponse(spec([]), { kind: 'security', severity: null })).toEqual({ action: 'notify', page: false });
  });

  it('does not match a rule naming severities when the problem carries none', () => {
    const bySeverity = spec([{ severities: ['P1'], action: 'rollback' }]);
    expect(incidentResponse(bySeverity, { kind: 'critical_flow', severity: null }).action).toBe('notify');
    expect(incidentResponse(bySeverity, { kind: 'critical_flow', severity: 'P1' }).action).toBe('rollback');
  });

  it('orders the actions notify < hold < pause < rollback', () => {
    expect(strongerAction('notify', 'hold')).toBe('hold');
    expect(strongerAction('pause', 'hold')).toBe('pause');
    expect(strongerAction('rollback', 'pause')).toBe('rollback');
    expect(strongerAction('notify', 'notify')).toBe('notify');
  });

  it('acts on the release only for rollback, and for pause while it runs', () => {
    expect(releaseActionOf('rollback', 'running')).toBe('rollback');
    expect(releaseActionOf('rollback', 'paused')).toBe('rollback');
    expect(releaseActionOf('pause', 'running')).toBe('pause');
    expect(releaseActionOf('pause', 'paused')).toBeNull();
    expect(releaseActionOf('pause', 'rolling_back')).toBeNull();
    expect(releaseActionOf('hold', 'running')).toBeNull();
    expect(releaseActionOf('notify', 'running')).toBeNull();
  });

  it('names the reporter and the problem in the reason', () => {
    expect(incidentReason({ kind: 'incident', severity: 'P1', title: 'checkout failing' }, 'Sam')).toBe('P1 incident reported by Sam: checkout failing');
    expect(incidentReason({ kind: 'security', severity: null, title: 'token leak' }, 'Sam')).toBe('Security problem reported by Sam: token leak');
    expect(incidentReason({ kind: 'incident', severity: 'SEV1', title: 'outage' }, 'Kim', true)).toBe('SEV1 incident, re-graded by Kim: outage');
  });
});

describe('the rules of reporting', () => {
  it("accepts only the playbook scale's severities, listing them otherwise", () => {
    expect(severityOffScale('P0-P3', 'P2')).toBeNull();
    expect(severityOffScale('SEV1-SEV4', 'SEV2')).toBeNull();
    expect(severityOffScale('P0-P3', 'SEV1')).toBe('"SEV1" is not on this release\'s P0-P3 scale; use one of P0, P1, P2, P3');
    expect(severityOffScale('SEV1-SEV4', 'P0')).toMatch(/SEV1, SEV2, SEV3, SEV4/);
  });

  it('takes reports on releases under way only', () => {
    for (const state of ['running', 'paused', 'rolling_back'] as const) expect(whyNoIncident(state)).toBeNull();
    expect(whyNoIncident('draft')).toMatch(/draft: it has not started/);
    expect(whyNoIncident('ready')).toMatch(/ready/);
    for (const state of ['rolled_back', 'completed', 'aborted'] as const) expect(whyNoIncident(state)).toMatch(state.replace('_', ' '));
  });

  it('moves statuses forward only', () => {
    expect(whyNoStatusChange('open', 'mitigated')).toBeNull();
    expect(whyNoStatusChange('open', 'resolved')).toBeNull();
    expect(whyNoStatusChange('mitigated', 'mitigated')).toBeNull();
    expect(whyNoStatusChange('resolved', 'open')).toMatch(/resolved; it cannot go back to open/);
  });
});
