import type { TReleaseEvent } from '@rampart/contracts';
import { describe, expect, it } from 'vitest';
import { collapseVerdictFlaps, describeEvent, describeLine } from '../src/lib/events';

let seq = 0;
function event(type: TReleaseEvent['type'], data: Record<string, unknown>): TReleaseEvent {
  seq += 1;
  return { id: String(seq), type, actor: { id: null, name: 'autopilot' }, reason: null, data, revision: seq, createdAt: '2026-11-29T12:00:00.000Z' };
}
const verdict = (gate: string, name: string, from: string | null, to: string) =>
  event('gate.verdict_changed', { gate, name, from, to, summary: '', evidence: {} });

const stages = [
  { key: 'canary-10', name: 'Canary 10%' },
  { key: 'ramp-50', name: 'Half the fleet' },
];

describe('events in words', () => {
  it('names gates and stages, not their keys', () => {
    const gate = describeEvent(verdict('error-rate-below-0-1pct', 'Error rate below 0.1%', 'fail', 'pass'), stages);
    expect(gate.text).toBe('Gate “Error rate below 0.1%” is now passing');
    expect(gate.text).not.toContain('error-rate-below-0-1pct');
    const ramp = event('release.ramped', { fromStage: 'canary-10', toStage: 'ramp-50', fromPercent: 10, toPercent: 50 });
    expect(describeEvent(ramp, stages).text).toBe('Ramped to Half the fleet, 50%');
    // The stage's name already says its percent: not twice.
    const start = event('release.started', { fromStage: null, toStage: 'canary-10', fromPercent: 0, toPercent: 10, forcedPast: [{ kind: 'approval_missing' }] });
    expect(describeEvent(start, stages).text).toBe('Started at Canary 10% (forced)');
    expect(describeEvent(event('approval.recorded', { role: 'product', stage: 'ramp-50', decision: 'approve' }), stages).text).toBe(
      'Signed off as Product for Half the fleet',
    );
  });

  it('puts an unknown key into words rather than showing it raw', () => {
    expect(describeEvent(event('release.ramped', { toStage: 'ramp-50', toPercent: 50 })).text).toBe('Ramped to Ramp 50, 50%');
    expect(describeEvent(event('gate.verdict_changed', { gate: 'p95-latency', to: 'fail' })).text).toBe('Gate “P95 latency” is now failing');
  });
});

describe('a flapping verdict', () => {
  it('collapses consecutive flips of one gate into one line with a count', () => {
    // Newest first, as the list shows them.
    const events = [
      verdict('err', 'Error rate', 'pass', 'fail'),
      verdict('err', 'Error rate', 'fail', 'pass'),
      verdict('err', 'Error rate', 'pass', 'fail'),
      verdict('err', 'Error rate', null, 'pass'),
      event('release.started', { toStage: 'canary-10', toPercent: 10 }),
    ];
    const lines = collapseVerdictFlaps(events);
    expect(lines).toHaveLength(2);
    expect(lines[0]?.count).toBe(4);
    expect(describeLine(lines[0]!, stages).text).toBe('Gate “Error rate” is now failing (changed 4 times: passing ⇄ failing)');
    expect(describeLine(lines[1]!, stages).text).toBe('Started at Canary 10%');
  });

  it('keeps two gates flapping in turn apart, and starts a new line after any other event', () => {
    const events = [
      verdict('err', 'Error rate', 'pass', 'fail'),
      verdict('lat', 'Latency', 'pass', 'warn'),
      verdict('err', 'Error rate', 'fail', 'pass'),
      verdict('lat', 'Latency', 'warn', 'pass'),
      event('release.paused', {}),
      verdict('err', 'Error rate', 'pass', 'fail'),
    ];
    const lines = collapseVerdictFlaps(events);
    expect(lines.map((l) => [l.event.id, l.count])).toEqual([
      [events[0]!.id, 2],
      [events[1]!.id, 2],
      [events[4]!.id, 1],
      [events[5]!.id, 1],
    ]);
    expect(describeLine(lines[3]!).text).toBe('Gate “Error rate” is now failing');
  });
});

describe('incident, paging and message events', () => {
  it('say what was reported and what Rampart did about it', () => {
    expect(describeEvent(event('incident.reported', { kind: 'security', title: 'Token leak', action: 'rollback' })).text).toBe(
      'Security finding reported: “Token leak” · Rolled the release back',
    );
    expect(describeEvent(event('incident.reported', { kind: 'incident', severity: 'SEV2', title: 'Checkout down', action: 'pause' })).text).toBe(
      'SEV2 incident reported: “Checkout down” · Paused the release',
    );
    expect(describeEvent(event('incident.updated', { title: 'Checkout down', status: 'resolved' }))).toMatchObject({
      text: 'Incident “Checkout down” now resolved',
      tone: 'good',
    });
    expect(describeEvent(event('contact.paged', { name: 'Dana', role: 'On-call engineer' })).text).toBe('Paged Dana (On-call engineer)');
    expect(describeEvent(event('message.sent', { template: 'Rollback', channels: ['slack', 'email'] })).text).toBe('Message “Rollback” sent to slack, email');
    expect(describeEvent(event('rollback.procedure_done', {})).tone).toBe('good');
  });
});
