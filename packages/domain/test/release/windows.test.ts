import { describe, expect, it } from 'vitest';
import type { TReleaseWindowSpec } from '@rampart/contracts';
import { ZPlaybookSpec, ZReleaseWindowSpec } from '@rampart/contracts';
import { insideWindow, nextWindowOpening, outsideWindows, zonedInstant } from '../../src/index.js';

const window = (overrides: Partial<TReleaseWindowSpec>): TReleaseWindowSpec => ({
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '09:00',
  end: '17:00',
  timeZone: 'UTC',
  ramps: false,
  ...overrides,
});
const at = (iso: string) => new Date(iso);

describe('a release window', () => {
  it('holds from its start up to (not including) its end, on its days', () => {
    const w = window({});
    expect(insideWindow(w, at('2026-03-02T09:00:00Z'))).toBe(true); // Monday
    expect(insideWindow(w, at('2026-03-02T16:59:59Z'))).toBe(true);
    expect(insideWindow(w, at('2026-03-02T17:00:00Z'))).toBe(false);
    expect(insideWindow(w, at('2026-03-02T08:59:59Z'))).toBe(false);
    expect(insideWindow(w, at('2026-03-07T10:00:00Z'))).toBe(false); // Saturday
  });

  it('across midnight belongs to the day it starts on', () => {
    const friday = window({ days: ['fri'], start: '22:00', end: '02:00' });
    expect(insideWindow(friday, at('2026-03-06T23:30:00Z'))).toBe(true); // Friday night
    expect(insideWindow(friday, at('2026-03-07T01:59:00Z'))).toBe(true); // early Saturday: still Friday's window
    expect(insideWindow(friday, at('2026-03-07T02:00:00Z'))).toBe(false);
    expect(insideWindow(friday, at('2026-03-06T01:00:00Z'))).toBe(false); // early Friday belongs to Thursday's night
    expect(insideWindow(friday, at('2026-03-06T21:59:00Z'))).toBe(false);
  });

  it('reads the local time of its zone', () => {
    const berlin = window({ timeZone: 'Europe/Berlin' });
    // 08:30 UTC is 09:30 in Berlin in winter (UTC+1), and 10:30 in summer (UTC+2).
    expect(insideWindow(berlin, at('2026-03-02T08:30:00Z'))).toBe(true);
    expect(insideWindow(berlin, at('2026-03-02T16:30:00Z'))).toBe(false);
    expect(insideWindow(berlin, at('2026-07-06T15:30:00Z'))).toBe(false);
    expect(insideWindow(berlin, at('2026-07-06T14:30:00Z'))).toBe(true);
    // New York's Monday 22:00–02:00 window is Tuesday 03:00–07:00 UTC in winter.
    const night = window({ days: ['mon'], start: '22:00', end: '02:00', timeZone: 'America/New_York' });
    expect(insideWindow(night, at('2026-01-06T04:00:00Z'))).toBe(true);
    expect(insideWindow(night, at('2026-01-06T07:00:00Z'))).toBe(false);
  });

  it('follows the zone through a daylight-saving change', () => {
    // Europe/Berlin springs forward on Sunday 2026-03-29 at 02:00 (to 03:00) and falls back on 2026-10-25 at 03:00.
    const sunday = window({ days: ['sun'], start: '01:00', end: '04:00', timeZone: 'Europe/Berlin' });
    expect(insideWindow(sunday, at('2026-03-29T00:30:00Z'))).toBe(true); // 01:30 CET
    expect(insideWindow(sunday, at('2026-03-29T01:30:00Z'))).toBe(true); // 03:30 CEST
    expect(insideWindow(sunday, at('2026-03-29T02:00:00Z'))).toBe(false); // 04:00 CEST: two hours of wall clock later
    expect(zonedInstant(2026, 3, 29, 60, 'Europe/Berlin')).toBe(Date.parse('2026-03-29T00:00:00Z'));
    expect(zonedInstant(2026, 3, 29, 4 * 60, 'Europe/Berlin')).toBe(Date.parse('2026-03-29T02:00:00Z'));
    // 02:30 does not exist that night: it comes out as the clock reads it after the jump (03:30 CEST).
    expect(zonedInstant(2026, 3, 29, 150, 'Europe/Berlin')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    // 02:30 happens twice on the fall-back night: the first is meant (still CEST).
    expect(zonedInstant(2026, 10, 25, 150, 'Europe/Berlin')).toBe(Date.parse('2026-10-25T00:30:00Z'));
    expect(zonedInstant(2026, 10, 25, 90, 'Europe/Berlin')).toBe(Date.parse('2026-10-24T23:30:00Z'));
    expect(zonedInstant(2026, 10, 25, 4 * 60, 'Europe/Berlin')).toBe(Date.parse('2026-10-25T03:00:00Z'));
  });
});

describe('the next window opening', () => {
  it('is later today, or on the next listed day, in UTC', () => {
    const w = window({ timeZone: 'Europe/Berlin' });
    expect(nextWindowOpening([w], at('2026-03-02T06:00:00Z'))?.toISOString()).toBe('2026-03-02T08:00:00.000Z');
    expect(nextWindowOpening([w], at('2026-03-06T17:00:00Z'))?.toISOString()).toBe('2026-03-09T08:00:00.000Z'); // Friday evening: Monday
    // Over the spring-forward weekend, Monday's opening moves an hour earlier in UTC.
    expect(nextWindowOpening([w], at('2026-03-27T17:00:00Z'))?.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('is the earliest of several windows, and none without windows', () => {
    const late = window({ days: ['tue'], start: '22:00', end: '02:00' });
    const early = window({ days: ['wed'], start: '06:00', end: '07:00' });
    expect(nextWindowOpening([early, late], at('2026-03-03T12:00:00Z'))?.toISOString()).toBe('2026-03-03T22:00:00.000Z');
    expect(nextWindowOpening([], at('2026-03-03T12:00:00Z'))).toBeNull();
    expect(outsideWindows([], at('2026-03-03T12:00:00Z'))).toBeNull();
    expect(outsideWindows([late], at('2026-03-03T23:00:00Z'))).toBeNull();
    expect(outsideWindows([late, early], at('2026-03-04T03:00:00Z'))).toEqual({ nextOpening: at('2026-03-04T06:00:00Z') });
  });
});

describe('a playbook window', () => {
  it('needs a time zone Intl knows, named in the error', () => {
    const bad = ZReleaseWindowSpec.safeParse({ days: ['mon'], start: '09:00', end: '17:00', timeZone: 'Mars/Olympus' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['timeZone']);
    const playbook = ZPlaybookSpec.safeParse({
      stages: [{ key: 'all', name: 'All', trafficPercent: 100, minBakeSeconds: 0 }],
      windows: [{ days: ['mon'], start: '09:00', end: '17:00', timeZone: 'Europe/Berlin' }, { days: ['tue'], start: '09:00', end: '17:00', timeZone: 'Nowhere/Else' }],
    });
    expect(playbook.error?.issues.map((i) => i.path.join('.'))).toEqual(['windows.1.timeZone']);
  });
});
