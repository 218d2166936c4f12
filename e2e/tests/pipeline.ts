// The deploy pipeline as the autopilot flow sees it: an API token, traffic acknowledgements, and a loop
// pushing one 10-second window of metrics per bin of the server's (fast) clock.
import { expect, request, type APIRequestContext, type Page } from '@playwright/test';

/** The server's clock, read once from /health and extrapolated with its known speed. */
export interface ServerClock {
  now(): number;
  scale: number;
}

export async function serverClock(api: APIRequestContext, scale: number): Promise<ServerClock> {
  const sentAt = Date.now();
  const response = await api.get('/health');
  expect(response.ok()).toBe(true);
  const { timestamp } = (await response.json()) as { timestamp: string };
  const receivedAt = Date.now();
  // The answer was stamped somewhere between sending and receiving: take the middle.
  const origin = Date.parse(timestamp);
  const at = (sentAt + receivedAt) / 2;
  return { scale, now: () => origin + (Date.now() - at) * scale };
}

/** A token acting as the signed-in user of `page` (its cookies), with the pipeline's scopes. */
export async function pipelineToken(page: Page, name: string): Promise<string> {
  const response = await page.request.post('/api/tokens', { data: { name, scopes: ['metrics:write', 'traffic:ack'] } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

export async function pipelineContext(baseURL: string, token: string): Promise<APIRequestContext> {
  return request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
}

export async function ackTraffic(api: APIRequestContext, releaseId: string, percent: number): Promise<void> {
  const response = await api.post(`/api/releases/${releaseId}/traffic/ack`, { data: { percent } });
  expect(response.status(), await response.text()).toBe(200);
}

export type Health = 'healthy' | 'regression';

export interface MetricsPusher {
  /** What the next windows look like. */
  health: Health;
  /** The canary's share of traffic, which scales its request counts. */
  canaryPercent: number;
  /** Server time (ms) of the next window to push. */
  readonly nextWindowAt: number;
  /** Windows stored so far. */
  readonly windows: number;
  /** Pushes that failed, with the answer (a failed push never stops the loop). */
  readonly failures: string[];
  stop(): Promise<void>;
}

const BIN_MS = 10_000;
const TOTAL_RPS_PER_WINDOW = 1000;

/**
 * Every `everyMs` of real time, pushes each 10-second bin of the server clock that ended since the last
 * push: requests, errors and P95 for both cohorts. Deterministic numbers, so the run is reproducible.
 */
export function startPushing(api: APIRequestContext, releaseId: string, clock: ServerClock, everyMs = 250): MetricsPusher {
  let stopped = false;
  let windows = 0;
  const failures: string[] = [];
  // Start with the bin that ended most recently, so the first push lands right away.
  let next = Math.floor(clock.now() / BIN_MS) * BIN_MS - BIN_MS;
  const state = {
    health: 'healthy' as Health,
    canaryPercent: 10,
    get windows() {
      return windows;
    },
    get nextWindowAt() {
      return next;
    },
    failures,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };

  const pointsFor = (ts: number, n: number) => {
    const canaryRequests = Math.round((TOTAL_RPS_PER_WINDOW * state.canaryPercent) / 100);
    const baselineRequests = Math.max(TOTAL_RPS_PER_WINDOW - canaryRequests, 900);
    const canaryErrors = state.health === 'regression' ? Math.round(canaryRequests * 0.05) : n % 3 === 0 ? 1 : 0;
    const canaryP95 = state.health === 'regression' ? 240 + (n % 5) * 4 : 190 + (n % 5) * 4;
    return [
      { ts, cohort: 'canary', metric: 'requests', value: canaryRequests },
      { ts, cohort: 'canary', metric: 'errors', value: canaryErrors },
      { ts, cohort: 'canary', metric: 'latency_p95_ms', value: canaryP95 },
      { ts, cohort: 'baseline', metric: 'requests', value: baselineRequests },
      { ts, cohort: 'baseline', metric: 'errors', value: 4 + (n % 3) },
      { ts, cohort: 'baseline', metric: 'latency_p95_ms', value: 195 + (n % 4) * 3 },
    ];
  };

  const pushDue = async () => {
    const lastEnded = Math.floor(clock.now() / BIN_MS) * BIN_MS - BIN_MS;
    if (lastEnded < next) return;
    const points = [];
    for (let ts = next; ts <= lastEnded; ts += BIN_MS) points.push(...pointsFor(ts, windows + points.length / 6));
    const response = await api.post(`/api/releases/${releaseId}/metrics`, { data: { points } });
    if (response.status() === 202) {
      windows += points.length / 6;
      next = lastEnded + BIN_MS;
    } else {
      failures.push(`${response.status()} ${await response.text()}`);
      next = lastEnded + BIN_MS; // never resend a refused window forever
    }
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        await pushDue();
      } catch (error) {
        if (!stopped) failures.push(String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();

  return state;
}
