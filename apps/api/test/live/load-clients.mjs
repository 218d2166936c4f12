// Worker thread for load.test.ts: the 200 dashboard sockets live here, so their frame parsing does not
// run on the server's event loop and the server's figures are its own.
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';

const { url, cookie, releaseId, count } = workerData;
const sockets = [];

function open() {
  return new Promise((resolve, reject) => {
    // The dashboard's own Origin, as its browser sends it (cookie-authenticated sockets need one).
    const ws = new WebSocket(url, { headers: { cookie, origin: new URL(url).origin.replace(/^ws/, 'http') } });
    const state = { ws, revision: 0, points: 0, releaseFrames: 0, subscribed: false, at: 0 };
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'release') {
        state.releaseFrames += 1;
        if (message.release.revision > state.revision) {
          state.revision = message.release.revision;
          state.at = performance.now() + performance.timeOrigin;
        }
      } else if (message.type === 'metrics') state.points += message.points.length;
      else if (message.type === 'subscribed') {
        state.subscribed = true;
        resolve(state);
      }
    });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe', releaseIds: [releaseId] })));
    ws.once('error', reject);
  });
}

parentPort.on('message', async (command) => {
  if (command.type === 'open') {
    sockets.push(...(await Promise.all(Array.from({ length: count }, open))));
    parentPort.postMessage({ type: 'ready' });
  } else if (command.type === 'wait') {
    const check = () => {
      if (sockets.every((s) => s.revision >= command.revision && s.points >= command.points)) {
        parentPort.postMessage({
          type: 'done',
          lastArrival: Math.max(...sockets.map((s) => s.at)),
          releaseFramesPerSocket: sockets[0].releaseFrames,
          points: sockets.map((s) => s.points),
        });
      } else setTimeout(check, 5);
    };
    check();
  } else if (command.type === 'close') {
    for (const s of sockets) s.ws.terminate();
    parentPort.postMessage({ type: 'closed' });
  }
});
