// Live sockets at shutdown. @fastify/websocket's default says goodbye with close() and lets ws wait up
// to 30 s for the client's answer, and the HTTP server's close waits for every socket, so one client
// that never answers (a laptop asleep, a frozen tab, a dead NAT path) held SIGTERM past an
// orchestrator's grace period. Say goodbye, then cut whoever has not left within a second.
import type { FastifyInstance } from 'fastify';

const GOODBYE_MS = 1000;

export function closeSocketsQuickly(this: FastifyInstance, done: () => void): void {
  const server = this.websocketServer;
  for (const client of server.clients) {
    // 1001: going away; the dashboard reconnects to whichever instance is up.
    client.close(1001, 'Server shutting down');
    setTimeout(() => client.terminate(), GOODBYE_MS).unref();
  }
  server.close();
  done();
}
