// The autopilot's loop when a pass is slow: nothing queues up behind it. A pass is made slow for real by
// holding a row lock on the lease it renews at its start, in another transaction, until the test lets go
// (the release's own row would not do: a pass that has nothing new to store does not write it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAutopilot, TAutopilotObserver } from '../../src/autopilot/autopilot.js';
import { startAutopilot } from '../../src/autopilot/autopilot.js';
import type { TTestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { QUIET_SPEC } from './support.js';
import { startTestApp } from '../support/test-app.js';


let t: TTestApp;
let releaseId: string;

beforeAll(async () => {
  // No autopilot of the app's own: each test starts one and watches its passes.
  t = await startTestApp();
  const admin = await t.as('admin');
  await admin.post('/api/playbooks', { key: 'loop', name: 'Loop', spec: QUIET_SPEC });
  const owner = await t.as('owner');
  const created = (await owner.post('/api/releases', { service: 'loop', version: '1.0.0', playbookId: await t.playbookId('loop') })).json();
  const started = await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision });
  expect(started.statusCode, started.body).toBe(200);
  releaseId = created.id;
});
afterAll(async () => t.close());


interface TPassRecord {
  startedAt: number;
  endedAt: number;
}

function recorder(): TAutopilotObserver & { passes: TPassRecord[]; lags: number[] } {
  const passes: TPassRecord[] = [];
  const lags: number[] = [];
  return {
    passes,
    lags,
    passEnded(seconds) {
      const endedAt = performance.now();
      passes.push({ startedAt: endedAt - seconds * 1000, endedAt });
    },
    verdictLag: (seconds) => lags.push(seconds),
  };
}

/** Holds the autopilot lease's row lock until `release()` is called; every pass waits for it at its start meanwhile. */
async function lockLease(): Promise<{ release(): void; done: Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => (locked = resolve));
  const done = t.db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT name FROM "Lease" WHERE name = 'autopilot' FOR UPDATE`;
      locked();
      await held;
    },
    { timeout: 60_000 },
  );
  await lockTaken;
  return { release, done };
}

/** Seconds the longest lock wait in this database has lasted so far (0 when nothing waits). */
async function lockWaitSeconds(): Promise<number> {
  const [row] = await t.db.$queryRaw<{ seconds: number | null }[]>`
    SELECT extract(epoch FROM max(clock_timestamp() - query_start))::float8 AS seconds
    FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'`;
  return row?.seconds ?? 0;
}

function start(intervalMs: number, observer: TAutopilotObserver): TAutopilot {
  return startAutopilot({ db: t.db, clock: t.clock, intervalMs, log: t.app.log, observer });
}

describe('the autopilot loop with a slow pass', () => {
  it('lets ticks and nudges asked for during a slow pass share one pass and one evaluation after it', async () => {
    const seen = recorder();
    const pilot = start(3_600_000, seen);
    try {
      await until('the first pass as leader', () => seen.passes.length === 1 && pilot.isLeader(), 15_000);
      const lock = await lockLease();
      const slow = pilot.tick();
      await until('the pass to wait on the lock', async () => (await lockWaitSeconds()) > 0, 15_000);

      const ticks = Array.from({ length: 20 }, () => pilot.tick());
      for (let i = 0; i < 20; i++) pilot.nudge(releaseId);
      lock.release();
      await lock.done;
      await Promise.all([slow, ...ticks]);

      // The slow pass and one more for all 20 ticks (a fixed queue would have run 21).
      expect(seen.passes).toHaveLength(3);
      // Each tick resolved only after a pass that started after it was asked for.
      expect(seen.passes[2]!.startedAt).toBeGreaterThanOrEqual(seen.passes[1]!.endedAt);
      // The 20 nudges (one arrival) made one evaluation with one lag measured.
      await until('the nudged evaluation', () => seen.lags.length === 1, 15_000);
    } finally {
      await pilot.stop();
    }
  });

  it('schedules the next timed pass an interval after a slow one ends, so passes never run back to back', async () => {
    const intervalMs = 100;
    const seen = recorder();
    const pilot = start(intervalMs, seen);
    try {
      await until('two timed passes', () => seen.passes.length >= 2, 15_000);
      const lock = await lockLease();
      // Ten intervals' worth of blocked time: a fixed interval would queue about ten passes behind it.
      await until('a pass blocked for a second', async () => (await lockWaitSeconds()) >= 1, 15_000);
      const before = seen.passes.length;
      lock.release();
      await lock.done;
      await until('four passes after the slow one', () => seen.passes.length >= before + 5, 15_000);

      const slow = seen.passes[before]!;
      expect(slow.endedAt - slow.startedAt).toBeGreaterThanOrEqual(1000);
      const after = seen.passes.slice(before);
      for (let i = 1; i < after.length; i++) {
        const gap = after[i]!.startedAt - after[i - 1]!.endedAt;
        // Timers may fire a millisecond early; a backlog would show gaps of about zero.
        expect(gap, `gap before pass ${i} after the slow one`).toBeGreaterThanOrEqual(intervalMs - 5);
      }
    } finally {
      await pilot.stop();
    }
  });
});
