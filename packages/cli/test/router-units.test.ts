// The routers' pure parts and the agent's router flags: weights for a percent, the nginx include file,
// and usage errors (exit 2, naming the flag) before anything is contacted.
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { renderUpstream } from '../src/routers/nginx.js';
import { splitWeights } from '../src/routers/router.js';
import { requireBinary } from './router-peers.js';
import { captureIo } from './support.js';

describe('router weights', () => {
  it('splits a percent into reduced weights, never 0 for a side with a share', () => {
    expect(splitWeights(0)).toEqual({ stable: 1, canary: 0 });
    expect(splitWeights(10)).toEqual({ stable: 9, canary: 1 });
    expect(splitWeights(25)).toEqual({ stable: 3, canary: 1 });
    expect(splitWeights(50)).toEqual({ stable: 1, canary: 1 });
    expect(splitWeights(100)).toEqual({ stable: 0, canary: 1 });
    expect(splitWeights(12.5)).toEqual({ stable: 7, canary: 1 });
    expect(splitWeights(0.1)).toEqual({ stable: 255, canary: 1 });
    expect(() => splitWeights(101)).toThrow(RangeError);
  });

  it('writes nginx server lines, marking a side without share down', () => {
    expect(renderUpstream(0, '127.0.0.1:1', '127.0.0.1:2')).toContain('server 127.0.0.1:1 weight=1;\nserver 127.0.0.1:2 down;\n');
    expect(renderUpstream(10, '127.0.0.1:1', 'unix:/run/canary.sock')).toContain('server 127.0.0.1:1 weight=9;\nserver unix:/run/canary.sock weight=1;\n');
    expect(renderUpstream(100, '127.0.0.1:1', '127.0.0.1:2')).toContain('server 127.0.0.1:1 down;\nserver 127.0.0.1:2 weight=1;\n');
  });
});

describe('rampart agent router flags', () => {
  const agent = async (...args: string[]) => {
    const io = captureIo({ env: { RAMPART_URL: 'http://127.0.0.1:9', RAMPART_TOKEN: 'unused' } });
    const code = await runCli(['agent', '--release', 'r1', ...args], io);
    return { code, err: io.err() };
  };

  it('needs exactly one of --exec and --router', async () => {
    expect(await agent()).toMatchObject({ code: 2, err: expect.stringContaining('give either --exec <command> or --router haproxy|nginx') });
    expect((await agent('--exec', 'true', '--router', 'nginx')).code).toBe(2);
    expect((await agent('--router', 'traefik')).code).toBe(2);
  });

  it('names a missing or unsafe router flag', async () => {
    expect(await agent('--router', 'haproxy', '--haproxy-backend', 'app')).toMatchObject({ code: 2, err: expect.stringContaining('--haproxy-socket is required') });
    expect(await agent('--router', 'haproxy', '--haproxy-socket', '/tmp/s', '--haproxy-backend', 'app;shutdown sessions')).toMatchObject({
      code: 2,
      err: expect.stringContaining('HAProxy backend name'),
    });
    const nginx = ['--router', 'nginx', '--nginx-upstream-file', '/tmp/u.conf', '--nginx-stable', '127.0.0.1:1'];
    expect(await agent(...nginx)).toMatchObject({ code: 2, err: expect.stringContaining('--nginx-canary is required') });
    expect(await agent(...nginx, '--nginx-canary', '127.0.0.1:2; include /etc/passwd')).toMatchObject({ code: 2, err: expect.stringContaining('nginx canary address') });
  });
});

it('a missing router binary fails the router tests with the command that installs it', async () => {
  await expect(requireBinary('/nonexistent/sbin/haproxy')).rejects.toThrow('/nonexistent/sbin/haproxy is not installed: run `pnpm system-packages`');
});
