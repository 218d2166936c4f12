// The demo simulator calls the server's own API a few hundred times a minute; its request log lines
// would bury everything a newcomer needs to read. They are logged only when LOG_LEVEL is debug or finer.
import type { IncomingHttpHeaders } from 'node:http';

export interface TDemoRequestFilter {
  /** The simulator's current API token (null once it stops). */
  useToken(token: string | null): void;
  /** For Fastify's disableRequestLogging: true for the simulator's own requests. */
  isSimulatorRequest(request: { headers: IncomingHttpHeaders }): boolean;
}

export function demoRequestFilter(): TDemoRequestFilter {
  let authorization: string | null = null;
  return {
    useToken(token) {
      authorization = token === null ? null : `Bearer ${token}`;
    },
    isSimulatorRequest(request) {
      return authorization !== null && request.headers.authorization === authorization;
    },
  };
}
