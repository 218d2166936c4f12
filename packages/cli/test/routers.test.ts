// The agent driving real traffic routers (Debian's haproxy and nginx, started here on loopback) in
// front of two Node backends, for a real release on the real API: requests sent through the router
// split as each stage says, a percent is acknowledged only once the router has it in force, and a
// rollback sends everything to stable within a second.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZRelease, ZTraffic } from '@rampart/contracts';
import { until } from '../../../apps/api/test/support/until.js';
import { runCli } from '../src/cli.js';
import { haproxyCommand } from '../src/routers/haproxy.js';
import type { TCliHarness } from './support.js';
import { captureIo, startCliHarness } from './support.js';
import type { TStoppable } from './router-peers.js';
import { HAPROXY_BIN, msUntilAllStable, NGINX_BIN, requireBinary, sample, startBackends, startHaproxy, startNginx } from './router-peers.js';

let h: TCliHarness;
let dir: string;

beforeAll(async () => {
  h = await startCliHarness('agent-routers');
  dir = await mkdtemp(path.join(tmpdir(), 'rampart-routers-'));
});
afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const traffic = (id: string) => h.client.get(`/api/releases/${id}/traffic`, ZTraffic);
const acknowledged = (id: string, percent: number) => until(`${percent}% acknowledged`, async () => (await traffic(id)).acknowledgedPercent === percent, 15_000);

async function act(id: string, action: string, reason?: string) {
  const current = await h.client.get(`/api/releases/${id}`, ZRelease);
  return h.client.post(`/api/releases/${id}/actions/${action}`, ZRelease, { expectedRevision: current.revision, ...(reason ? { reason } : {}) });
}

async function newRelease(service: string): Promise<string> {
  const io = captureIo({ env: { RAMPART_URL: h.url, RAMPART_TOKEN: h.token } });
  expect(await runCli(['create', '--service', service, '--version', '4.0.0', '--playbook', h.playbookKey], io)).toBe(0);
  const id = io.out().trim();
  await act(id, 'start');
  return id;
}

/**
 * 400 requests at p% canary: round-robin weights make the count exact per cycle, but the bound is the
 * binomial one (mean ± 4 standard deviations), so the test states the contract, not the algorithm.
 */
function expectShare(tally: Record<string, number>, total: number, percent: number) {
  expect(Object.keys(tally).sort()).toEqual(percent === 0 ? ['stable'] : ['canary', 'stable']);
  const mean = (total * percent) / 100;
  const bound = 4 * Math.sqrt(total * (percent / 100) * (1 - percent / 100));
  expect(tally.canary ?? 0).toBeGreaterThanOrEqual(mean - bound);
  expect(tally.canary ?? 0).toBeLessThanOrEqual(mean + bound);
}

/** Drives one release through canary, half and a rollback with the agent started from the command line. */
async function driveRelease(service: string, port: number, routerArgs: string[], inForce: (percent: number) => Promise<boolean>) {
  const id = await newRelease(service);
  const io = captureIo({ env: { RAMPART_URL: h.url, RAMPART_TOKEN: h.token } });
  const stop = new AbortController();
  const run = runCli(['agent', '--release', id, ...routerArgs, '--poll-interval', '250ms'], io, stop.signal);
  const figures: string[] = [];
  try {
    // At start the agent sets the router to the desired 0% (the configuration said 50/50).
    await until('the agent to acknowledge 0% at start', () => io.err().includes('acknowledged 0%'), 15_000);
    expect(await inForce(0)).toBe(true);
    expectShare(await sample(port, 100), 100, 0);

    for (const percent of [10, 50]) {
      await act(id, 'ramp');
      await acknowledged(id, percent);
      expect(await inForce(percent)).toBe(true);
      const tally = await sample(port, 400);
      expectShare(tally, 400, percent);
      figures.push(`${percent}%: ${tally.canary} of 400 to canary`);
    }

    // From just before the rollback request to the first of 20 requests in a row answered by stable
    // (under 50/50 round-robin, 20 in a row cannot happen by chance).
    const rollbackAt = performance.now();
    await act(id, 'rollback', 'error rate up');
    const rollbackMs = await msUntilAllStable(port, rollbackAt);
    await acknowledged(id, 0);
    const ackMs = performance.now() - rollbackAt;
    expect(await inForce(0)).toBe(true);
    expectShare(await sample(port, 200), 200, 0);
    expect(rollbackMs).toBeLessThan(1000);
    expect(await run).toBe(0);
    expect(io.err()).toContain('release rolled_back; 0% applied; exiting');
    const seenAt = /\[rampart agent (\S+)\] (?:live|poll): rolling_back, desired 0%/.exec(io.err())?.[1];
    const inForceAt = [...io.err().matchAll(/\[rampart agent (\S+)\] 0% in force/g)].at(-1)?.[1];
    const agentMs = seenAt && inForceAt ? Date.parse(inForceAt) - Date.parse(seenAt) : NaN;
    console.info(`agent ${routerArgs[1]}: ${figures.join(', ')}; all traffic on stable ${Math.round(rollbackMs)} ms and 0% acknowledged ${Math.round(ackMs)} ms after the rollback action; the agent had it in force ${agentMs} ms after it saw it`);
    return io.err();
  } finally {
    stop.abort();
    await run.catch(() => undefined);
  }
}

async function stopAll(peers: (TStoppable | undefined)[]) {
  await Promise.all(peers.map((peer) => peer?.stop()));
}

describe('rampart agent --router haproxy', () => {
  it('sets the backend weights through the runtime API and acknowledges what HAProxy reports', async () => {
    await requireBinary(HAPROXY_BIN);
    const backends = await startBackends();
    const haproxy = await startHaproxy(path.join(dir), backends).catch(async (error: unknown) => {
      await backends.stop();
      throw error;
    });
    try {
      const weight = async (server: string) => Number(/^(\d+)/.exec(await haproxyCommand(haproxy.socket, `get weight app/${server}`))?.[1]);
      const log = await driveRelease(
        'edge-haproxy',
        haproxy.port,
        ['--router', 'haproxy', '--haproxy-socket', haproxy.socket, '--haproxy-backend', haproxy.backend],
        async (percent) => {
          const [stable, canary] = [await weight('stable'), await weight('canary')];
          return percent === 0 ? canary === 0 && stable > 0 : canary > 0 && Math.abs((100 * canary) / (stable + canary) - percent) < 0.5;
        },
      );
      expect(log).toContain('weights stable 9, canary 1 (as HAProxy reports)');
    } finally {
      await stopAll([haproxy, backends]);
    }
  }, 90_000);

  it('refuses an unknown server without acknowledging', async () => {
    await requireBinary(HAPROXY_BIN);
    const backends = await startBackends();
    const haproxy = await startHaproxy(await mkdtemp(path.join(dir, 'ha-')), backends).catch(async (error: unknown) => {
      await backends.stop();
      throw error;
    });
    const id = await newRelease('edge-haproxy-typo');
    const io = captureIo({ env: { RAMPART_URL: h.url, RAMPART_TOKEN: h.token } });
    const stop = new AbortController();
    const args = ['agent', '--release', id, '--router', 'haproxy', '--haproxy-socket', haproxy.socket, '--haproxy-backend', 'app', '--haproxy-canary', 'canry'];
    const run = runCli(args, io, stop.signal);
    try {
      await until('a refused apply', () => io.err().includes('FAILED to apply 0%'));
      expect(io.err()).toMatch(/HAProxy refused the weights: No such server/);
      expect((await traffic(id)).acknowledgedPercent).toBe(0); // unchanged from creation, not acknowledged by the agent
      expect(io.err()).not.toContain('acknowledged 0%');
    } finally {
      stop.abort();
      await run.catch(() => undefined);
      await stopAll([haproxy, backends]);
    }
  }, 60_000);
});

describe('rampart agent --router nginx', () => {
  it('writes the upstream file, checks it with nginx -t, reloads, and acknowledges once new workers run', async () => {
    await requireBinary(NGINX_BIN);
    const backends = await startBackends();
    const nginx = await startNginx(dir, backends).catch(async (error: unknown) => {
      await backends.stop();
      throw error;
    });
    try {
      const stable = `127.0.0.1:${backends.stable}`;
      const canary = `127.0.0.1:${backends.canary}`;
      const log = await driveRelease(
        'edge-nginx',
        nginx.port,
        [
          '--router', 'nginx',
          '--nginx-upstream-file', nginx.upstreamFile,
          '--nginx-stable', stable,
          '--nginx-canary', canary,
          '--nginx-conf', nginx.config,
          '--nginx-prefix', nginx.prefix,
          '--nginx-pid', nginx.pidFile,
          '--nginx-bin', NGINX_BIN,
        ],
        async (percent) => {
          const file = await readFile(nginx.upstreamFile, 'utf8');
          return percent === 0 ? file.includes(`server ${canary} down;`) : file.includes(`server ${canary} weight=`) && !file.includes('down;');
        },
      );
      expect(log).toMatch(/nginx reloaded \(master \d+: new workers running, old ones gone\)/);
      expect(await readFile(nginx.upstreamFile, 'utf8')).toContain(`server ${stable} weight=1;\nserver ${canary} down;`);
    } finally {
      await stopAll([nginx, backends]);
    }
  }, 90_000);
});
