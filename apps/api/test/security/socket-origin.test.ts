// GET /api/ws accepts a browser only from the dashboard's own origin (the Host it was sent to, or
// RAMPART_PUBLIC_URL), so another site cannot open a socket with the user's cookie (cross-site
// WebSocket hijacking). Without an Origin (no browser), only an API token is accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSocketOrigin } from '../../src/live/origin.js';
import type { TestDatabase } from '../support/database.js';
import { TestSocket, sharedDatabase, startInstance } from '../live/support.js';
import type { TLiveInstance } from '../live/support.js';

let database: TestDatabase;
let t: TLiveInstance;
let token: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  database = await sharedDatabase();
  t = await startInstance(database);
  const owner = await t.as('owner');
  token = (await owner.post('/api/tokens', { name: 'board', scopes: ['releases:read'] })).json().token as string;
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await t.close();
  await database.drop();
});

async function opens(headers: Record<string, string>): Promise<void> {
  const socket = await TestSocket.open(t.wsUrl, headers);
  sockets.push(socket);
  socket.send({ type: 'ping' });
  await socket.waitFor('pong');
}

describe('with the session cookie', () => {
  it("opens from the dashboard's own origin (the Host the request went to)", async () => {
    await opens({ cookie: await t.cookie('support'), origin: t.httpUrl });
  });

  it('opens from the configured public URL (a proxy in front)', async () => {
    await opens({ cookie: await t.cookie('support'), origin: 'https://rampart.example.com' });
  });

  it('is refused (403) from any other origin, look-alikes included', async () => {
    const cookie = await t.cookie('support');
    const { port } = new URL(t.httpUrl);
    for (const origin of [
      'https://evil.example',
      `http://127.0.0.1.evil.example:${port}`,
      `http://127.0.0.1:${Number(port) + 1}`,
      'https://rampart.example.com.evil.example',
      'null',
      'not a url',
    ]) {
      await expect(TestSocket.open(t.wsUrl, { cookie, origin }), origin).rejects.toThrow('HTTP 403');
    }
  });

  it('is refused (403) without an Origin: a browser always sends one, other clients use a token', async () => {
    await expect(TestSocket.open(t.wsUrl, { cookie: await t.cookie('support'), origin: '' })).rejects.toThrow('HTTP 403');
  });
});

describe('with an API token', () => {
  it('opens without an Origin (command-line clients, agents)', async () => {
    await opens({ authorization: `Bearer ${token}` });
  });

  it('is refused from a foreign origin too', async () => {
    await expect(TestSocket.open(t.wsUrl, { authorization: `Bearer ${token}`, origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
  });
});

describe('checkSocketOrigin', () => {
  const base = { publicUrl: 'https://rampart.example.com', credential: 'session' as const };
  it('compares hosts as URLs do: case and default ports', () => {
    expect(checkSocketOrigin({ ...base, origin: 'HTTPS://Dash.Example:443', host: 'dash.example' }).ok).toBe(true);
    expect(checkSocketOrigin({ ...base, origin: 'https://dash.example', host: 'dash.example:443' }).ok).toBe(true);
    expect(checkSocketOrigin({ ...base, origin: 'https://dash.example:8443', host: 'dash.example' }).ok).toBe(false);
    expect(checkSocketOrigin({ ...base, origin: 'https://dash.example', host: undefined }).ok).toBe(false);
  });
});
