// Release windows: the weekly hours, local to a time zone, in which a playbook lets a release start (and,
// when a window says so, ramp). Pure: local times come from Intl, which carries the IANA zone rules, so a
// daylight-saving day is as long as it really is and no date library is needed.
import type { TReleaseWindowSpec, TWeekday } from '@rampart/contracts';
import { WEEKDAYS } from '@rampart/contracts';

/** The part of a window the rules read; `ramps` and `source` do not change where it lies in time. */
export type TWindow = Pick<TReleaseWindowSpec, 'days' | 'start' | 'end' | 'timeZone'>;

interface TLocalTime {
  year: number;
  month: number;
  day: number;
  weekday: TWeekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether Intl knows the zone (what a playbook's validation asks). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function localParts(at: number, timeZone: string): TLocalTime & { second: number } {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at))) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: parts.weekday!.toLowerCase().slice(0, 3) as TWeekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    second: Number(parts.second),
  };
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const local = localParts(at, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, 0, local.minutes, local.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The instant the zone's wall clock shows this local date and time. Of a time shown twice (the hour a
 * fall-back repeats) the first; a time a spring-forward skips (02:30 on the change day) comes out shifted
 * by the gap, as the clock that skipped reads it (03:30).
 */
export function zonedInstant(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const DAY = 24 * 3600 * 1000;
  // A zone's offset changes at most once around a given day: the offsets a day before and after are the candidates.
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const shows = (instant: number) => instant + offsetAt(instant, timeZone) === wall;
  const candidates = [wall - before, wall - after].filter(shows).sort((a, b) => a - b);
  return candidates[0] ?? wall - before;
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return hours! * 60 + minutes!;
}

function previousDay(day: TWeekday): TWeekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7]!;
}

/**
 * Whether `at` falls inside the window. A window that ends at or before its start crosses midnight and
 * belongs to the day it starts on: Friday 22:00–02:00 covers Saturday 01:00, not Friday 01:00.
 */
export function insideWindow(window: TWindow, at: Date): boolean {
  const local = localParts(at.getTime(), window.timeZone);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start < end) return window.days.includes(local.weekday) && local.minutes >= start && local.minutes < end;
  return (
    (window.days.includes(local.weekday) && local.minutes >= start) ||
    (window.days.includes(previousDay(local.weekday)) && local.minutes < end)
  );
}

/** The next time any of the windows opens after `at`, or null when none ever does (no windows). */
export function nextWindowOpening(windows: readonly TWindow[], at: Date): Date | null {
  let best: number | null = null;
  for (const window of windows) {
    const today = localParts(at.getTime(), window.timeZone);
    const start = minutesOf(window.start);
    // Eight local days ahead always reach the next opening of a weekly window.
    for (let offset = 0; offset <= 8; offset++) {
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
      const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7]!;
      if (!window.days.includes(weekday)) continue;
      const opens = zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), start, window.timeZone);
      if (opens > at.getTime()) {
        if (best === null || opens < best) best = opens;
        break;
      }
    }
  }
  return best === null ? null : new Date(best);
}

/** Null when `at` is inside one of the windows (or there are none); otherwise when the next one opens. */
export function outsideWindows(windows: readonly TWindow[], at: Date): { nextOpening: Date | null } | null {
  if (windows.length === 0 || windows.some((window) => insideWindow(window, at))) return null;
  return { nextOpening: nextWindowOpening(windows, at) };
}
