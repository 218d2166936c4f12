// The server's clock, as the browser estimates it: bake countdowns, relative times and chart windows
// follow the server (which may run RAMPART_TIME_SCALE times faster, or simply be skewed from this
// machine), not the browser's own clock.

interface TAnchor {
  server: number;
  local: number;
  scale: number;
}

let anchor: TAnchor = { server: Date.now(), local: Date.now(), scale: 1 };

/** Pure, for tests: the server time at `localNow` given an anchor. */
export function projectServerTime(at: TAnchor, localNow: number): number {
  return at.server + (localNow - at.local) * at.scale;
}

/** Whole milliseconds, like Date.now(): the anchor's midpoint (and a time scale) would add a fraction, which query strings must not carry. */
export function serverNow(): number {
  return Math.floor(projectServerTime(anchor, Date.now()));
}

/** Reads GET /api/clock; the request's midpoint stands for the moment the server answered. */
export async function syncServerClock(fetchImpl: typeof fetch = fetch): Promise<void> {
  const sentAt = Date.now();
  const response = await fetchImpl('/api/clock');
  const receivedAt = Date.now();
  if (!response.ok) return;
  const body = (await response.json()) as { now: string; timeScale: number };
  anchor = { server: Date.parse(body.now), local: (sentAt + receivedAt) / 2, scale: body.timeScale };
}

/** Syncs now and every few minutes (the estimate drifts only with the two clocks' rates). */
export function keepServerClock(everyMs = 5 * 60_000): () => void {
  const sync = () => void syncServerClock().catch(() => undefined);
  sync();
  const timer = setInterval(sync, everyMs);
  return () => clearInterval(timer);
}
