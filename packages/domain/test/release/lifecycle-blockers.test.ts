// Freeze, release windows, open incidents and the watch at 100%: what they block, and what force passes.
import { describe, expect, it } from 'vitest';
import type { TFreezeFact, TIncidentFact } from '../../src/index.js';
import { actionAvailability, blockersOf, decideAction, reconcileReadiness } from '../../src/index.js';
import { HOUR, MINUTE, T0, at, readyRelease, runningRelease } from './fixtures.js';

const FREEZE: TFreezeFact = { reason: 'Black Friday', declaredBy: 'admin@rampart.test', declaredAt: T0 };
const INCIDENT: TIncidentFact = { id: 'inc-1', title: 'Checkout fails for EU cards', severity: 'P1', kind: 'incident', action: 'hold' };
// T0 is Saturday 2025-03-01 12:00 UTC: outside a weekday window.
const WEEKDAYS = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, start: '09:00', end: '17:00', timeZone: 'UTC', ramps: true }].map((w) => ({ ...w, days: [...w.days] }));

const kinds = (blockers: { kind: string }[]) => blockers.map((b) => b.kind);

describe('a freeze', () => {
  it('blocks start and ramp, naming its reason and who declared it, but never pause, rollback or complete', () => {
    const ready = readyRelease({ freeze: FREEZE });
    expect(blockersOf(ready, 'start', { now: T0, gates: [] })).toEqual([
      { kind: 'freeze', message: 'Change freeze declared by admin@rampart.test: Black Friday', detail: { reason: 'Black Friday', declaredBy: 'admin@rampart.test', since: T0.toISOString() } },
    ]);
    const running = runningRelease(1, at(-HOUR), { freeze: FREEZE });
    expect(kinds(blockersOf(running, 'ramp', { now: T0, gates: [] }))).toEqual(['freeze']);
    for (const action of ['pause', 'rollback'] as const) {
      expect(decideAction(running, { action }, { now: T0, gates: [] }).ok).toBe(true);
    }
    const full = runningRelease(2, at(-2 * HOUR), { freeze: FREEZE });
    expect(decideAction(full, { action: 'complete' }, { now: T0, gates: [] }).ok).toBe(true);
  });

  it('cannot be forced, by anyone, and says so', () => {
    const running = runningRelease(1, at(-HOUR), { freeze: FREEZE });
    const forced = decideAction(running, { action: 'ramp', force: true, reason: 'Hotfix' }, { now: T0, gates: [] });
    expect(forced).toMatchObject({ ok: false, refusal: { kind: 'blocked', message: expect.stringContaining('a change freeze cannot be forced') } });
    expect(!forced.ok && forced.refusal.kind === 'blocked' && forced.refusal.message).toContain('Black Friday');
    expect(actionAvailability(running, { now: T0, gates: [] }).find((a) => a.action === 'ramp')).toMatchObject({ allowed: false, forceable: false });
  });

  it('does not make a ready release a draft: readiness is about its checklist and sign-offs', () => {
    expect(reconcileReadiness(readyRelease({ freeze: FREEZE })).events).toEqual([]);
  });
});

describe('release windows', () => {
  it('block a start outside every window, naming the next opening in UTC', () => {
    const ready = readyRelease({ windows: WEEKDAYS });
    expect(blockersOf(ready, 'start', { now: T0, gates: [] })).toEqual([
      {
        kind: 'outside_window',
        message: "Starting is allowed only inside the playbook's release windows; the next opens at 2025-03-03T09:00:00.000Z",
        detail: { action: 'start', nextOpening: '2025-03-03T09:00:00.000Z' },
      },
    ]);
    expect(blockersOf(ready, 'start', { now: new Date('2025-03-03T10:00:00Z'), gates: [] })).toEqual([]);
  });

  it('block a ramp only when the window says so', () => {
    const running = runningRelease(1, at(-HOUR), { windows: WEEKDAYS });
    expect(kinds(blockersOf(running, 'ramp', { now: T0, gates: [] }))).toEqual(['outside_window']);
    const startOnly = runningRelease(1, at(-HOUR), { windows: WEEKDAYS.map((w) => ({ ...w, ramps: false })) });
    expect(blockersOf(startOnly, 'ramp', { now: T0, gates: [] })).toEqual([]);
  });

  it('are the owner\'s call: a forced start with a reason passes them', () => {
    const ready = readyRelease({ windows: WEEKDAYS });
    const forced = decideAction(ready, { action: 'start', force: true, reason: 'Hotfix for an outage' }, { now: T0, gates: [] });
    expect(forced).toMatchObject({ ok: true, events: [{ type: 'release.started', data: { forcedPast: [expect.objectContaining({ kind: 'outside_window' })] } }] });
  });
});

describe('an open incident that holds the release', () => {
  it('blocks ramp and complete, naming its title and severity', () => {
    const running = runningRelease(1, at(-HOUR), { incidents: [INCIDENT] });
    expect(blockersOf(running, 'ramp', { now: T0, gates: [] })).toEqual([
      { kind: 'incident_open', message: 'Open incident (P1): Checkout fails for EU cards', detail: { incident: 'inc-1', severity: 'P1', kind: 'incident', action: 'hold' } },
    ]);
    const full = runningRelease(2, at(-2 * HOUR), { incidents: [{ ...INCIDENT, severity: null, kind: 'data_integrity', title: 'Orders duplicated' }] });
    expect(blockersOf(full, 'complete', { now: T0, gates: [] })[0]?.message).toBe('Open problem (data integrity): Orders duplicated');
    expect(decideAction(full, { action: 'rollback' }, { now: T0, gates: [] }).ok).toBe(true);
  });
});

describe('the watch at 100%', () => {
  it('reads as the watch, not as bake time', () => {
    const full = runningRelease(2, at(-12 * MINUTE));
    expect(blockersOf(full, 'complete', { now: T0, gates: [] })).toEqual([
      { kind: 'bake_time', message: '48m of the watch left at Full', detail: { stage: 'full', secondsLeft: 48 * MINUTE, period: 'watch' } },
    ]);
    expect(blockersOf(runningRelease(1, at(-MINUTE)), 'ramp', { now: T0, gates: [] })[0]?.message).toBe('29m of bake time left at Canary (minimum 30m)');
  });
});
