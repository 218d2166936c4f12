import { afterEach, describe, expect, it, vi } from 'vitest';
import { projectServerTime, serverNow, syncServerClock } from '../src/lib/server-clock';

describe('the server clock as the browser estimates it', () => {
  it('runs from its anchor at the server clock speed', () => {
    const anchor = { server: Date.parse('2026-03-02T10:00:00Z'), local: 1_000_000, scale: 60 };
    expect(projectServerTime(anchor, 1_000_000)).toBe(anchor.server);
    expect(projectServerTime(anchor, 1_001_000)).toBe(anchor.server + 60_000);
  });

  it('follows GET /api/clock, skew and speed alike', async () => {
    const fake = (async () => new Response(JSON.stringify({ now: '2030-01-01T00:00:00.000Z', timeScale: 10 }))) as typeof fetch;
    await syncServerClock(fake);
    const estimate = serverNow();
    expect(Math.abs(estimate - Date.parse('2030-01-01T00:00:00.000Z'))).toBeLessThan(5_000);
  });

  it('answers whole milliseconds when the anchor falls between two (chart queries must send integers)', async () => {
    const ticks = [1_000, 1_001, 1_002, 1_003];
    vi.spyOn(Date, 'now').mockImplementation(() => ticks.shift() ?? 1_003);
    const fake = (async () => new Response(JSON.stringify({ now: '2026-11-29T12:00:00.000Z', timeScale: 3 }))) as typeof fetch;
    // Sent at 1000, answered at 1001: the anchor is 1000.5, so the projection at 1002 is 4.5 ms past the server's time.
    await syncServerClock(fake);
    const now = serverNow();
    expect(Number.isInteger(now)).toBe(true);
    expect(now).toBe(Date.parse('2026-11-29T12:00:00.000Z') + 4);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
