// A mail server that accepts the connection and never answers must not hold the app's shutdown: the send
// in flight is given up, its claim rolled back, and the page stays in the outbox for the next instance.
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TTestApp } from '../support/test-app.js';
import { startTestApp } from '../support/test-app.js';
import { until } from '../support/until.js';
import { createPagingPlaybook, rollBackAutomatically, startRelease } from './support.js';

const sockets = new Set<Socket>();
const silent = createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
let t: TTestApp;

beforeAll(async () => {
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as AddressInfo).port;
  t = await startTestApp({ env: { RAMPART_SMTP_URL: `smtp://127.0.0.1:${port}`, RAMPART_NOTIFY_INTERVAL_MS: '50' } });
}, 60_000);
afterAll(async () => {
  // Closing the app again is harmless; this also drops the test's database.
  await t?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

it('closes within moments while a send hangs, leaving the page to be sent later', async () => {
  const release = await startRelease(t, await createPagingPlaybook(t), 'hang');
  await rollBackAutomatically(t, release);
  await until('the mail server connected to', () => sockets.size > 0);
  const started = performance.now();
  await t.app.close();
  expect(performance.now() - started).toBeLessThan(3000);
  const page = await t.db.page.findFirstOrThrow({ where: { releaseId: release.id } });
  expect(page).toMatchObject({ deliveredAt: null, deliveryAttempts: 0, deliveryError: null });
});
