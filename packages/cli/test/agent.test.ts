// The agent against the real API on loopback, with a real shell command that writes the percent it
// applies to a file: acknowledged only on success, a failure retried and never acknowledged, and a
// rollback applied at once while a slow command for another percent runs.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZRelease, ZTraffic } from '@rampart/contracts';
import { runAgent } from '../src/commands/agent.js';
import { runCli } from '../src/cli.js';
import type { TCliHarness } from './support.js';
import { captureIo, startCliHarness } from './support.js';

let h: TCliHarness;
let dir: string;

beforeAll(async () => {
  h = await startCliHarness('agent-quick');
  dir = await mkdtemp(path.join(tmpdir(), 'rampart-agent-'));
});
afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const traffic = (id: string) => h.client.get(`/api/releases/${id}/traffic`, ZTraffic);

async function act(id: string, action: string, reason?: string) {
  const current = await h.client.get(`/api/releases/${id}`, ZRelease);
  return h.client.post(`/api/releases/${id}/actions/${action}`, ZRelease, { expectedRevision: current.revision, ...(reason ? { reason } : {}) });
}

async function newRelease(service: string): Promise<string> {
  const io = captureIo({ env: { RAMPART_URL: h.url, RAMPART_TOKEN: h.token } });
  expect(await runCli(['create', '--service', service, '--version', '3.1.0', '--playbook', h.playbookKey], io)).toBe(0);
  const id = io.out().trim();
  await act(id, 'start');
  return id;
}

/** A deploy script: fails while fail-<percent> exists, hangs while slow-<percent> exists, else records the percent. */
async function deployScript(name: string): Promise<{ exec: string; log: string }> {
  const log = path.join(dir, `${name}.log`);
  const script = path.join(dir, `${name}.sh`);
  await writeFile(
    script,
    [
      '#!/bin/sh',
      'p="$1"',
      `if [ -e "${dir}/${name}-fail-$p" ]; then echo "deploy of $p% failed" >&2; exit 7; fi`,
      `if [ -e "${dir}/${name}-slow-$p" ]; then sleep 30; fi`,
      `echo "$p" >> "${log}"`,
    ].join('\n'),
    { mode: 0o755 },
  );
  return { exec: `sh ${script} {percent}`, log };
}

const applied = async (log: string) => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);

describe('rampart agent', () => {
  it('applies each desired percent, acknowledges only success, retries a failure, and applies a rollback first', async () => {
    const id = await newRelease('edge');
    const { exec, log } = await deployScript('edge');
    const io = captureIo({ env: {} });
    const agent = runAgent(h.client, io, { release: id, exec, pollIntervalMs: 250, retryBaseMs: 200, retryMaxMs: 400, killGraceMs: 500 });

    // Canary: 10%, applied and acknowledged.
    await act(id, 'ramp');
    await waitFor('10% acknowledged', async () => (await traffic(id)).acknowledgedPercent === 10);
    expect(await applied(log)).toEqual([10]);

    // Half: the deploy fails; the agent reports it, does not acknowledge, and retries until it works.
    await writeFile(path.join(dir, 'edge-fail-50'), '');
    await act(id, 'ramp');
    await waitFor('two failed attempts', async () => (io.err().match(/FAILED to apply 50%/g)?.length ?? 0) >= 2);
    expect(io.err()).toContain('deploy of 50% failed');
    expect(io.err()).toMatch(/FAILED to apply 50% \(exit code 7\); not acknowledged/);
    expect((await traffic(id)).acknowledgedPercent).toBe(10);
    await rm(path.join(dir, 'edge-fail-50'));
    await waitFor('50% acknowledged after the retry', async () => (await traffic(id)).acknowledgedPercent === 50);

    // Full: the deploy of 100% hangs; a rollback meanwhile stops it and applies 0% first.
    await writeFile(path.join(dir, 'edge-slow-100'), '');
    h.t.clock.advance(601); // the half stage's bake time
    await act(id, 'ramp');
    await waitFor('the 100% command running', async () => io.err().includes('applying 100%'));
    const rollbackAt = Date.now();
    await act(id, 'rollback', 'latency up');
    const result = await agent;
    const rollbackMs = Date.now() - rollbackAt;

    expect(result.state).toBe('rolled_back');
    expect(result.applied).toBe(0);
    expect(rollbackMs).toBeLessThan(10_000); // not the 30 s the hung deploy would take
    expect(await applied(log)).toEqual([10, 50, 0]);
    expect(io.err()).toContain('stopped the command for 100%');
    // The websocket carried at least one change (which one first is a race with the poll on a busy machine).
    expect(io.err()).toMatch(/live: [a-z_]+, desired \d+%/);
    const final = await traffic(id);
    expect(final).toMatchObject({ state: 'rolled_back', desiredPercent: 0, acknowledgedPercent: 0 });
    const events = await h.t.db.releaseEvent.findMany({ where: { releaseId: id, type: 'traffic.acknowledged' }, orderBy: { id: 'asc' } });
    expect(events.map((e) => (e.data as { percent: number }).percent)).toEqual([10, 50, 0]);
    console.info(`agent: rollback applied and acknowledged ${rollbackMs} ms after the rollback action (a 100% deploy was hanging)`);
  }, 60_000);

  it('runs from the command line with polling only and exits when the release completes', async () => {
    const id = await newRelease('api');
    const { exec, log } = await deployScript('api');
    const io = captureIo({ env: { RAMPART_URL: h.url, RAMPART_TOKEN: h.token } });
    const run = runCli(['agent', '--release', id, '--exec', exec, '--no-websocket', '--poll-interval', '100ms'], io);
    await act(id, 'ramp');
    await waitFor('10% acknowledged', async () => (await traffic(id)).acknowledgedPercent === 10);
    await act(id, 'ramp');
    await waitFor('50% acknowledged', async () => (await traffic(id)).acknowledgedPercent === 50);
    h.t.clock.advance(601);
    await act(id, 'ramp');
    await waitFor('100% acknowledged', async () => (await traffic(id)).acknowledgedPercent === 100);
    await act(id, 'complete');
    expect(await run).toBe(0);
    expect(await applied(log)).toEqual([10, 50, 100]);
    expect(io.err()).toContain('release completed; 100% applied; exiting');
    expect(io.err()).not.toContain('live:');
  }, 60_000);
});
