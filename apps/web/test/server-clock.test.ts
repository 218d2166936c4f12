import { describe, expect, it } from 'vitest';
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
});
