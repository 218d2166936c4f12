// The real API on a loopback port, a playbook every step of which a test can reach at once, and an
// API token for the release owner: what a pipeline would have.
import { PassThrough, Readable } from 'node:stream';
import type { TPlaybookSpecInput } from '@rampart/contracts';
import { startTestApp } from '../../../apps/api/test/support/test-app.js';
import type { TTestApp } from '../../../apps/api/test/support/test-app.js';
import { RampartClient } from '../src/client.js';
import type { TIo } from '../src/io.js';

export const QUICK_PLAYBOOK: TPlaybookSpecInput = {
  stages: [
    { key: 'staging', name: 'Staging', trafficPercent: 0, minBakeSeconds: 0 },
    { key: 'canary', name: 'Canary', trafficPercent: 10, minBakeSeconds: 0 },
    { key: 'half', name: 'Half', trafficPercent: 50, minBakeSeconds: 600 },
    { key: 'full', name: 'Full', trafficPercent: 100, minBakeSeconds: 0 },
  ],
};

export interface TCliHarness {
  t: TTestApp;
  url: string;
  token: string;
  client: RampartClient;
  playbookKey: string;
  close(): Promise<void>;
}

export async function startCliHarness(playbookKey = 'cli-quick'): Promise<TCliHarness> {
  const t = await startTestApp();
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const admin = await t.as('admin');
  const created = await admin.post('/api/playbooks', { key: playbookKey, name: 'CLI quick flow', spec: QUICK_PLAYBOOK });
  if (created.statusCode !== 201) throw new Error(`playbook: ${created.body}`);
  const owner = await t.as('owner');
  const tokenAnswer = await owner.post('/api/tokens', {
    name: 'ci pipeline',
    scopes: ['releases:read', 'releases:write', 'metrics:write', 'traffic:ack'],
  });
  if (tokenAnswer.statusCode !== 201) throw new Error(`token: ${tokenAnswer.body}`);
  const token = tokenAnswer.json().token as string;
  return {
    t,
    url: address,
    token,
    client: new RampartClient({ url: address, token }),
    playbookKey,
    close: () => t.close(),
  };
}

export interface TCapturedIo extends TIo {
  out(): string;
  err(): string;
}

export function captureIo(options: { stdin?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): TCapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
}
