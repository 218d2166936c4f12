// The CLI's commands against the real API on loopback, through runCli (what main.ts runs) and once as a
// real subprocess through `pnpm rampart`, as a CI job would call it.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZRelease, ZTraffic } from '@rampart/contracts';
import { RampartClient } from '../src/client.js';
import { actionCommand } from '../src/commands/release.js';
import { CliExit, EXIT } from '../src/exit-codes.js';
import { runCli } from '../src/cli.js';
import type { TCliHarness } from './support.js';
import { captureIo, startCliHarness } from './support.js';

const WORKSPACE = fileURLToPath(new URL('../../..', import.meta.url));

let h: TCliHarness;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  h = await startCliHarness();
  env = { RAMPART_URL: h.url, RAMPART_TOKEN: h.token };
});
afterAll(async () => h?.close());

async function cli(args: string[], options: { stdin?: string; cwd?: string } = {}) {
  const io = captureIo({ ...options, env });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

async function createRelease(service = 'checkout'): Promise<string> {
  const r = await cli(['create', '--service', service, '--version', '2.0.0', '--playbook', h.playbookKey]);
  expect(r.code, r.err).toBe(0);
  return r.out.trim();
}

describe('create and status', () => {
  it('create prints the id; --json prints the release; status shows it', async () => {
    const id = await createRelease();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const json = await cli(['create', '--service', 'search', '--version', '1.0.0', '--playbook', h.playbookKey, '--notes', 'Faster search', '--json']);
    expect(json.code, json.err).toBe(0);
    const release = ZRelease.parse(JSON.parse(json.out));
    expect(release).toMatchObject({ service: 'search', version: '1.0.0', notes: 'Faster search' });

    const status = await cli(['status', id]);
    expect(status.code).toBe(0);
    expect(status.out).toContain('checkout 2.0.0');
    expect(status.out).toMatch(/state:\s+ready/);
    const statusJson = await cli(['status', id, '--json']);
    expect(ZRelease.parse(JSON.parse(statusJson.out)).id).toBe(id);
  });

  it('an unknown playbook key, a bad token and an unknown release exit 1 with a message', async () => {
    const noPlaybook = await cli(['create', '--service', 'x', '--version', '1', '--playbook', 'no-such-playbook']);
    expect(noPlaybook.code).toBe(EXIT.error);
    expect(noPlaybook.err).toContain('No playbook with the key "no-such-playbook"');

    const io = captureIo({ env: { RAMPART_URL: h.url, RAMPART_TOKEN: 'rmp_wrong' } });
    expect(await runCli(['status', '00000000-0000-4000-8000-000000000000'], io)).toBe(EXIT.error);
    expect(io.err()).toContain('401');

    const missing = await cli(['status', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(EXIT.error);
    expect(missing.err).toContain('404');

    const unreachable = captureIo({ env: { RAMPART_URL: 'http://127.0.0.1:1', RAMPART_TOKEN: h.token } });
    expect(await runCli(['status', '00000000-0000-4000-8000-000000000000'], unreachable)).toBe(EXIT.error);
    expect(unreachable.err()).toContain('Cannot reach Rampart');
  });
});

describe('action', () => {
  it('acts at the current revision; an illegal transition exits 4, blockers exit 5, a token cannot force', async () => {
    const id = await createRelease('payments');
    expect((await cli(['action', id, 'start'])).code).toBe(0);
    expect((await cli(['action', id, 'ramp', '--reason', 'staging is fine'])).code).toBe(0); // canary, 10%

    const illegal = await cli(['action', id, 'start']);
    expect(illegal.code).toBe(EXIT.conflict);
    expect(illegal.err).toContain('start refused (illegal_transition)');
    // Resume is an intent: on a running release it is already done.
    expect((await cli(['action', id, 'resume'])).code).toBe(0);

    expect((await cli(['action', id, 'ramp'])).code).toBe(0); // half: 10 minutes of bake
    const blocked = await cli(['action', id, 'ramp']);
    expect(blocked.code).toBe(EXIT.blocked);
    expect(blocked.err).toMatch(/ramp refused \(blocked\)/);
    expect(blocked.err).toMatch(/- bake_time: /);

    const blockedJson = await cli(['action', id, 'ramp', '--json']);
    expect(blockedJson.code).toBe(EXIT.blocked);
    expect(JSON.parse(blockedJson.out)).toMatchObject({ error: 'blocked', releaseState: 'running' });

    // Forcing is for a person (an owner or admin), not for a pipeline's token.
    const forced = await cli(['action', id, 'ramp', '--force', '--reason', 'hotfix, bake waived by the lead']);
    expect(forced.code).toBe(EXIT.error);
    expect(forced.err).toContain('403');
  });

  it('a stale revision (someone acted between the read and the write) exits 4 with the current state', async () => {
    const id = await createRelease('stale');
    // A fetch that lets another person pause the release just before the CLI's write lands.
    const owner = await h.t.as('owner');
    await owner.post(`/api/releases/${id}/actions/start`, { expectedRevision: (await owner.get(`/api/releases/${id}`)).json().revision });
    const racing: typeof fetch = async (input, init) => {
      if (init?.method === 'POST') {
        const current = (await owner.get(`/api/releases/${id}`)).json();
        await owner.post(`/api/releases/${id}/actions/pause`, { expectedRevision: current.revision, reason: 'someone else' });
      }
      return fetch(input, init);
    };
    const client = new RampartClient({ url: h.url, token: h.token, fetch: racing });
    const io = captureIo();
    const error = await actionCommand(client, io, id, 'ramp', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliExit);
    expect((error as CliExit).code).toBe(EXIT.conflict);
    expect((error as CliExit).message).toContain('stale_revision');
    expect((error as CliExit).message).toContain('now paused');
  });
});

describe('push-metrics', () => {
  it('sends a JSON file in batches of at most 10,000 and NDJSON from stdin; repeats are stored once', async () => {
    const id = await createRelease('metrics');
    expect((await cli(['action', id, 'start'])).code).toBe(0);
    const t0 = h.t.clock.now().getTime() - 3_600_000;
    const points = Array.from({ length: 25_000 }, (_, i) => ({ ts: t0 + i * 100, cohort: i % 2 ? 'canary' : 'baseline', metric: 'requests', value: 10 }));
    const dir = await mkdtemp(path.join(tmpdir(), 'rampart-cli-'));
    await writeFile(path.join(dir, 'points.json'), JSON.stringify({ points }, null, 1));

    // A relative path is taken from the io's cwd (INIT_CWD under pnpm).
    const fromFile = await cli(['push-metrics', id, '--file', 'points.json', '--json'], { cwd: dir });
    expect(fromFile.code, fromFile.err).toBe(0);
    expect(JSON.parse(fromFile.out)).toEqual({ points: 25_000, batches: 3, accepted: 25_000, stored: 25_000 });

    const ndjson = [
      { ts: new Date(t0 + 3_000_000).toISOString(), cohort: 'canary', metric: 'errors', value: 1 },
      { ts: t0 + 3_000_000, cohort: 'baseline', metric: 'errors', value: 0 },
      { ts: t0 + 3_000_000, cohort: 'canary', metric: 'latency_ms', buckets: [{ le: 100, count: 5 }, { le: '+Inf', count: 6 }] },
    ]
      .map((p) => JSON.stringify(p))
      .join('\n');
    const fromStdin = await cli(['push-metrics', id, '--file', '-', '--json'], { stdin: `${ndjson}\n` });
    expect(fromStdin.code, fromStdin.err).toBe(0);
    expect(JSON.parse(fromStdin.out)).toMatchObject({ points: 3, batches: 1, stored: 3 });
    const again = await cli(['push-metrics', id], { stdin: ndjson });
    expect(again.out).toContain('0 stored, 3 already there');

    expect(await h.t.db.metricPoint.count({ where: { releaseId: id } })).toBe(25_002);
    expect(await h.t.db.metricHistogram.count({ where: { releaseId: id } })).toBe(1);
  });

  it('a bad point is refused locally, naming its line, and nothing is sent', async () => {
    const id = await createRelease('bad-metrics');
    const bad = [JSON.stringify({ ts: 1, cohort: 'canary', metric: 'requests', value: 1 }), JSON.stringify({ ts: 2, cohort: 'blue', metric: 'requests', value: 1 })].join('\n');
    const r = await cli(['push-metrics', id], { stdin: bad });
    expect(r.code).toBe(EXIT.error);
    expect(r.err).toContain('stdin line 2: cohort');
    expect(await h.t.db.metricPoint.count({ where: { releaseId: id } })).toBe(0);
  });
});

describe('wait', () => {
  it('exits 0 when the state is reached, 3 on timeout, 6 when the release finished otherwise', async () => {
    const id = await createRelease('waiting');
    const reached = await cli(['wait', id, '--state', 'draft,ready', '--timeout', '5s', '--interval', '100ms']);
    expect(reached.code).toBe(EXIT.ok);

    const started = Date.now();
    const timedOut = await cli(['wait', id, '--state', 'completed', '--timeout', '1s', '--interval', '200ms', '--json']);
    expect(timedOut.code).toBe(EXIT.timeout);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(JSON.parse(timedOut.out)).toMatchObject({ outcome: 'timeout', state: 'ready' });

    expect((await cli(['action', id, 'start'])).code).toBe(0);
    const stage = cli(['wait', id, '--stage', 'canary', '--timeout', '10s', '--interval', '100ms']);
    await new Promise((r) => setTimeout(r, 300));
    expect((await cli(['action', id, 'ramp'])).code).toBe(0);
    expect((await stage).code).toBe(EXIT.ok);

    await h.client.post(`/api/releases/${id}/traffic/ack`, ZTraffic, { percent: 10 });
    const completed = cli(['wait', id, '--state', 'completed', '--timeout', '10s', '--interval', '100ms']);
    expect((await cli(['action', id, 'rollback', '--reason', 'errors up'])).code).toBe(0);
    // A rollback ends when the tooling acknowledges 0%.
    await h.client.post(`/api/releases/${id}/traffic/ack`, ZTraffic, { percent: 0 });
    const other = await completed;
    expect(other.code).toBe(EXIT.otherTerminalState);
    expect(other.out).toContain('finished as rolled_back');
  });
});

describe('the entry point as a subprocess', () => {
  it('`pnpm rampart` runs from the workspace root and passes the exit code through', async () => {
    const id = await createRelease('subprocess');
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn('pnpm', ['--silent', 'rampart', ...args], { cwd: WORKSPACE, env: { ...process.env, ...env } });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (code) => resolve({ code, out, err }));
      });
    const status = await run(['status', id, '--json']);
    expect(status.code, status.err).toBe(0);
    expect(ZRelease.parse(JSON.parse(status.out)).id).toBe(id);
    const timeout = await run(['wait', id, '--state', 'completed', '--timeout', '500ms', '--interval', '100ms', '--quiet']);
    expect(timeout.code).toBe(EXIT.timeout);
  }, 60_000);
});
