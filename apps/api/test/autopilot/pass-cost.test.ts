// What keeps an autopilot pass cheap and safe, on a real database: an analysis that did not change is not
// written again, releases are judged together, and a pass longer than the lease keeps the lease.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAutopilot } from '../../src/autopilot/autopilot.js';
import { startAutopilot } from '../../src/autopilot/autopilot.js';
import { Lease } from '../../src/autopilot/lease.js';
import type { TClient, TTestApp } from '../support/test-app.js';
import { pipelineClient, startTestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { QUIET_SPEC } from './support.js';

let t: TTestApp;
let owner: TClient;
let pipeline: TClient;

beforeAll(async () => {
  // No autopilot of the app's own: each test starts one.
  t = await startTestApp();
  const admin = await t.as('admin');
  await admin.post('/api/playbooks', { key: 'quiet', name: 'Quiet', spec: QUIET_SPEC });
  owner = await t.as('owner');
  pipeline = await pipelineClient(t);
});
afterAll(async () => t.close());

async function startedRelease(service: string): Promise<string> {
  const created = (await owner.post('/api/releases', { service, version: '1.0.0', playbookId: await t.playbookId('quiet') })).json();
  const started = await owner.post(`/api/releases/${created.id}/actions/start`, { expectedRevision: created.revision });
  expect(started.statusCode, started.body).toBe(200);
  return created.id;
}

async function pushCanary(releaseId: string) {
  const ts = t.clock.now().getTime() - 1;
  const response = await pipeline.post(`/api/releases/${releaseId}/metrics`, { points: [{ ts, cohort: 'canary', metric: 'requests', value: 100 }] });
  expect(response.statusCode, response.body).toBe(202);
}

async function analyzedAt(releaseId: string): Promise<number | null> {
  const row = await t.db.release.findUniqueOrThrow({ where: { id: releaseId }, select: { analyzedAt: true } });
  return row.analyzedAt?.getTime() ?? null;
}

function start(intervalMs: number): TAutopilot {
  return startAutopilot({ db: t.db, clock: t.clock, intervalMs, log: t.app.log });
}

describe('an autopilot pass', () => {
  it('writes an analysis only when it changed, for every release it judges together', async () => {
    const quiet = await startedRelease('quiet-one');
    const busy = await startedRelease('busy-one');
    const pilot = start(3_600_000);
    try {
      await pilot.tick();
      const first = { quiet: await analyzedAt(quiet), busy: await analyzedAt(busy) };
      expect(first.quiet).not.toBeNull();
      expect(first.busy).not.toBeNull();

      // Nothing new for either: both analyses stay as stored.
      t.clock.advance(10);
      await pilot.tick();
      expect(await analyzedAt(quiet)).toBe(first.quiet);
      expect(await analyzedAt(busy)).toBe(first.busy);

      // A point for one of them: its analysis changes and is stored; the other's is left alone.
      t.clock.advance(10);
      await pushCanary(busy);
      await pilot.tick();
      expect(await analyzedAt(busy)).toBe(t.clock.now().getTime());
      expect(await analyzedAt(quiet)).toBe(first.quiet);
      const stored = (await owner.get(`/api/releases/${busy}/analysis`)).json().analysis;
      expect(stored).toMatchObject({ stage: 'staging' });
    } finally {
      await pilot.stop();
    }
  });

  it('keeps its lease through a pass that lasts longer than the lease', async () => {
    const releaseId = await startedRelease('slow-pass');
    const intervalMs = 500;
    const pilot = start(intervalMs);
    // The lease outlives three intervals, at least 3 s: this pass is held for longer than that.
    const ttlMs = Math.max(3 * intervalMs, 3000);
    const rival = new Lease(t.db, 'autopilot', 'a-rival-instance', ttlMs);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    try {
      await until('the autopilot to lead', () => pilot.isLeader(), 15_000);
      // A row lock that holds the write up, then new data, so that the next pass has an analysis to write.
      const done = t.db.$transaction(
        async (tx) => {
          // NO KEY: the points' foreign key check (KEY SHARE) goes through; the analysis write does not.
          await tx.$queryRaw`SELECT id FROM "Release" WHERE id = ${releaseId}::uuid FOR NO KEY UPDATE`;
          locked();
          await held;
        },
        { timeout: 60_000 },
      );
      await lockTaken;
      t.clock.advance(10);
      await pushCanary(releaseId);
      let rivalTookIt = false;
      const waited = async () => {
        rivalTookIt ||= await rival.acquire();
        const [row] = await t.db.$queryRaw<{ seconds: number | null }[]>`
          SELECT extract(epoch FROM max(clock_timestamp() - query_start))::float8 AS seconds
          FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        return (row?.seconds ?? 0) * 1000 >= ttlMs + 1500;
      };
      await until('a pass held up for longer than the lease', waited, 30_000);
      expect(rivalTookIt).toBe(false);
      expect(pilot.isLeader()).toBe(true);
      release();
      await done;
      await until('the held pass to store its analysis', async () => (await analyzedAt(releaseId)) === t.clock.now().getTime(), 15_000);
    } finally {
      release();
      await pilot.stop();
    }
  });
});
