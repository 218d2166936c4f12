// How a filled blank reads. People read these in chat, email and on the status page, so times are in
// words with "UTC" (not ISO 8601), and a value Rampart cannot know says so and why, never "None" or "".

/** "unknown (no on-call contact named)": visibly unknown, with the reason. */
export function unknownBecause(reason: string): string {
  return `unknown (${reason})`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (at: Date) => `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
const clockOf = (at: Date) => `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;

/** "2025-11-05 14:00 UTC": a moment that may be on any day. */
export function utcDateTime(at: Date): string {
  return `${dayOf(at)} ${clockOf(at)} UTC`;
}

/** "18:00 UTC" when it falls on the same UTC day as `now`, else "2025-11-06 02:00 UTC". */
export function utcClock(at: Date, now: Date): string {
  return dayOf(at) === dayOf(now) ? `${clockOf(at)} UTC` : utcDateTime(at);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "1 hour 5 minutes", "25 minutes", "less than a minute": rounded up to the minute, as a wait reads. */
export function durationInWords(seconds: number): string {
  const minutes = Math.ceil(Math.max(0, seconds) / 60);
  if (seconds > 0 && seconds < 60) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [days > 0 ? plural(days, 'day') : '', hours > 0 ? plural(hours, 'hour') : '', rest > 0 ? plural(rest, 'minute') : ''];
  return parts.filter(Boolean).join(' ') || '0 minutes';
}

/** 12.5 → "12.5", 12 → "12": a traffic percent as a person writes it. */
export function percentNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** An error rate from counts: "0.30%". */
export function ratePercent(errors: number, requests: number): string {
  return `${((100 * errors) / requests).toFixed(2)}%`;
}

/** "850 ms", "1.20 s". */
export function latencyText(milliseconds: number): string {
  return milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(2)} s` : `${Math.round(milliseconds)} ms`;
}

/** "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
