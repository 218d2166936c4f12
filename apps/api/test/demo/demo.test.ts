// The demo: a demo-checkout release at its first canary stage, driven by the simulator over loopback
// with a token of the demo owner; only in demo mode, and stopped (token revoked) on shutdown.
import type { TRelease } from '@rampart/contracts';
import type { TSimulatorLogger } from '@rampart/traffic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { actorOfUser } from '../../src/services/auth/actors.js';
import { DEMO_SERVICE, DEMO_TOKEN_NAME, ensureDemoRelease, loopbackUrl, runDemoInBackground, startDemo } from '../../src/demo/demo.js';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';

let t: TTestApp;
let baseUrl: string;
const quiet: TSimulatorLogger = { debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = loopbackUrl(t.app.server.address());
});

afterAll(async () => {
  await t?.close();
});

async function ownerContext() {
  const owner = await t.db.user.findUniqueOrThrow({ where: { email: 'owner@rampart.test' } });
  return { db: t.db, clock: t.clock, actor: actorOfUser(owner) };
}

describe('the demo release', () => {
  it('is created once, started and forced to its first canary stage with the reason "Demo release"', async () => {
    const ctx = await ownerContext();
    const id = await ensureDemoRelease(ctx);
    expect(id).not.toBeNull();
    expect(await ensureDemoRelease(ctx)).toBe(id);
    expect(await t.db.release.count({ where: { service: DEMO_SERVICE } })).toBe(1);
    const owner = await t.as('owner');
    const release = (await owner.get(`/api/releases/${id}`)).json<TRelease>();
    expect(release).toMatchObject({ state: 'running', desiredPercent: 10, currentStage: { key: 'canary-10' }, owner: { email: 'owner@rampart.test' } });
    const events = await t.db.releaseEvent.findMany({ where: { releaseId: id! }, orderBy: { revision: 'asc' } });
    expect(events.filter((e) => e.type === 'release.started' || e.type === 'release.ramped').map((e) => e.reason)).toEqual([
      'Demo release',
      'Demo release: straight to the first canary stage',
    ]);
  });

  it('runs the simulator over loopback with a token of the demo owner: live points, the percent acknowledged, the token revoked on stop', async () => {
    const demo = await startDemo({ db: t.db, clock: t.clock, baseUrl, logger: quiet, simulator: { autoTick: false, ackDelaySeconds: 0 } });
    expect(demo).not.toBeNull();
    const { releaseId, simulator } = demo!;
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1);
      await simulator.tick();
    }
    const release = await t.db.release.findUniqueOrThrow({ where: { id: releaseId } });
    expect(release.acknowledgedPercent).toBe(10);
    const canary = await t.db.metricPoint.count({ where: { releaseId, cohort: 'canary', metric: 'requests' } });
    const baseline = await t.db.metricPoint.count({ where: { releaseId, cohort: 'baseline', metric: 'requests' } });
    expect(canary).toBeGreaterThanOrEqual(4);
    expect(baseline).toBeGreaterThanOrEqual(4);
    const tokens = await t.db.apiToken.findMany({ where: { name: DEMO_TOKEN_NAME } });
    expect(tokens.map((tk) => [tk.scopes.sort(), tk.revokedAt])).toEqual([[['metrics:write', 'releases:read', 'traffic:ack'], null]]);

    // A second start (a restart of the server) revokes the first token and keeps the same release.
    const again = await startDemo({ db: t.db, clock: t.clock, baseUrl, logger: quiet, simulator: { autoTick: false } });
    expect(again?.releaseId).toBe(releaseId);
    expect(await t.db.apiToken.count({ where: { name: DEMO_TOKEN_NAME, revokedAt: null } })).toBe(1);
    await demo!.stop();
    await again!.stop();
    await expect(simulator.done).resolves.toBe('stopped');
    expect(await t.db.apiToken.count({ where: { name: DEMO_TOKEN_NAME, revokedAt: null } })).toBe(0);
  });

  it('starts a new demo release when the last one has finished', async () => {
    const ctx = await ownerContext();
    const first = await ensureDemoRelease(ctx);
    await t.db.release.update({ where: { id: first! }, data: { state: 'rolled_back' } });
    const second = await ensureDemoRelease(ctx);
    expect(second).not.toBe(first);
    const release = await t.db.release.findUniqueOrThrow({ where: { id: second! } });
    expect(release).toMatchObject({ state: 'running', version: '1.2.0', desiredPercent: 10 });
  });

  it('can be stopped while it is still starting, and reports a failure to start without throwing', async () => {
    const background = runDemoInBackground({ db: t.db, clock: t.clock, baseUrl, logger: quiet, simulator: { autoTick: false } });
    await background.stop();
    expect(await t.db.apiToken.count({ where: { name: DEMO_TOKEN_NAME, revokedAt: null } })).toBe(0);

    const errors: string[] = [];
    const broken = runDemoInBackground({
      db: { user: { findUnique: () => Promise.reject(new Error('database down')) } } as never,
      clock: t.clock,
      baseUrl,
      logger: { ...quiet, error: (_obj, msg) => void errors.push(msg) },
    });
    await broken.stop();
    expect(errors).toEqual(['demo simulator not started']);
  });
});

describe('when the demo runs', () => {
  it('only in demo mode, unless RAMPART_SIMULATOR=0', () => {
    expect(loadConfig({}).demoSimulator).toBe(true);
    expect(loadConfig({ RAMPART_SIMULATOR: '0' }).demoSimulator).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/rampart' }).demoSimulator).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/rampart', RAMPART_SIMULATOR: '1' }).demoSimulator).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/rampart', RAMPART_DEMO: '1' }).demoSimulator).toBe(true);
    expect(loadConfig({ RAMPART_DEMO: '0' }).demoSimulator).toBe(false);
  });

  it('reaches the server on its own address, loopback for a wildcard bind', () => {
    expect(loopbackUrl({ address: '0.0.0.0', family: 'IPv4', port: 8080 })).toBe('http://127.0.0.1:8080');
    expect(loopbackUrl({ address: '::', family: 'IPv6', port: 8080 })).toBe('http://[::1]:8080');
    expect(loopbackUrl({ address: '10.1.2.3', family: 'IPv4', port: 80 })).toBe('http://10.1.2.3:80');
    expect(() => loopbackUrl('/tmp/socket')).toThrow();
  });
});
