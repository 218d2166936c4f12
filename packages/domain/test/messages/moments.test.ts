import { describe, expect, it } from 'vitest';
import type { TMessageTemplateSpec } from '@rampart/contracts';
import { chatTemplateFor, dueSendings, momentsOf, occasionsOfEvents, periodsSince } from '../../src/index.js';

const template = (key: string, kind: TMessageTemplateSpec['kind'], extra: Partial<TMessageTemplateSpec> = {}): TMessageTemplateSpec => ({
  key,
  kind,
  audience: 'internal',
  title: key,
  body: key,
  ...extra,
});

let nextId = 1n;
const event = (type: string, data: Record<string, unknown> = {}) => ({ id: nextId++, type, data });

describe('the moments recorded events mark', () => {
  it('maps each release event to its moment, with an occasion that makes it happen once', () => {
    const started = event('release.started', { toStage: 'staging', toPercent: 0 });
    const ramped = event('release.ramped', { toStage: 'canary-5', toPercent: 5 });
    const full = event('release.ramped', { toStage: 'full', toPercent: 100 });
    const paused = event('release.paused');
    const occasions = occasionsOfEvents([
      started,
      ramped,
      full,
      paused,
      event('release.rollback_started'),
      event('release.rolled_back'),
      event('release.completed'),
      event('incident.reported', { incidentId: 'inc-1', severity: 'P1' }),
    ]);
    expect(occasions.map((o) => [o.moment, o.occasion])).toEqual([
      ['start', 'start'],
      ['ramp', 'ramp:canary-5'],
      ['ramp', 'ramp:full'],
      ['full_traffic', 'full_traffic'],
      ['pause', `pause:${paused.id}`],
      ['rollback', 'rollback'],
      ['rolled_back', 'rolled_back'],
      ['complete', 'complete'],
      ['incident', 'incident:inc-1'],
    ]);
    expect(occasions.at(-1)).toMatchObject({ incidentId: 'inc-1', severity: 'P1' });
  });

  it('a start straight at 100% is full traffic too; message.sent and other events mark nothing', () => {
    expect(occasionsOfEvents([event('release.started', { toStage: 'all', toPercent: 100 })]).map((o) => o.moment)).toEqual(['start', 'full_traffic']);
    expect(occasionsOfEvents([event('message.sent', { template: 'x' }), event('gate.verdict_changed'), event('traffic.acknowledged')])).toEqual([]);
  });

  it('a template goes out at the moment of its kind unless it names its own', () => {
    expect(momentsOf(template('a', 'announcement'))).toEqual(['start']);
    expect(momentsOf(template('p', 'progress'))).toEqual(['ramp']);
    expect(momentsOf(template('c', 'complete'))).toEqual(['complete']);
    expect(momentsOf(template('r', 'rollback'))).toEqual(['rollback']);
    expect(momentsOf(template('i', 'incident'))).toEqual(['incident']);
    // Seed 004's "Monitoring for 2 hours… Will sign off at 18:00 UTC" is a complete template sent at full traffic.
    expect(momentsOf(template('watch', 'complete', { on: ['full_traffic'] }))).toEqual(['full_traffic']);
    // Only on its schedule.
    expect(momentsOf(template('every', 'progress', { on: [], everySeconds: 1800 }))).toEqual([]);
  });

  it('sends each due template once per batch, and incident templates only for their own severity', () => {
    const templates = [
      template('progress', 'progress'),
      template('watch', 'complete', { on: ['full_traffic'] }),
      template('done', 'complete'),
      template('scheduled', 'progress', { on: [], everySeconds: 1800 }),
      template('p0', 'incident', { severity: 'P0' }),
      template('p1', 'incident', { severity: 'P1' }),
      template('any-incident', 'incident', { audience: 'external' }),
    ];
    const toFull = occasionsOfEvents([event('release.ramped', { toStage: 'full', toPercent: 100 })]);
    expect(dueSendings(templates, toFull).map((s) => [s.template.key, s.occasion.occasion])).toEqual([
      ['progress', 'ramp:full'],
      ['watch', 'full_traffic'],
    ]);
    const p1 = occasionsOfEvents([event('incident.reported', { incidentId: 'i', severity: 'P1' })]);
    expect(dueSendings(templates, p1).map((s) => s.template.key)).toEqual(['p1', 'any-incident']);
    const problem = occasionsOfEvents([event('incident.reported', { incidentId: 'j', kind: 'security' })]);
    expect(dueSendings(templates, problem).map((s) => s.template.key)).toEqual(['any-incident']);
  });

  it('picks one template for a Slack-format webhook: the internal one first', () => {
    const templates = [template('ext', 'progress', { audience: 'external' }), template('int', 'progress'), template('int2', 'progress')];
    expect(chatTemplateFor(templates, event('release.ramped', { toStage: 'b', toPercent: 25 }))?.key).toBe('int');
    expect(chatTemplateFor([templates[0]!], event('release.ramped', { toStage: 'b', toPercent: 25 }))?.key).toBe('ext');
    expect(chatTemplateFor(templates, event('checklist.updated'))).toBeNull();
  });

  it('counts whole periods since the start', () => {
    const start = new Date('2026-03-02T14:00:00Z');
    expect(periodsSince(start, new Date('2026-03-02T14:29:59Z'), 1800)).toBe(0);
    expect(periodsSince(start, new Date('2026-03-02T14:30:00Z'), 1800)).toBe(1);
    expect(periodsSince(start, new Date('2026-03-02T16:10:00Z'), 1800)).toBe(4);
    expect(periodsSince(start, new Date('2026-03-02T13:00:00Z'), 1800)).toBe(0);
  });
});
