// HAProxy through its runtime API (the stats socket: a unix socket path or host:port). The canary
// percent becomes the weights of two servers of one backend, set with `set server <b>/<s> weight <w>`
// and read back with `get weight <b>/<s>`; the apply resolves only when HAProxy reports both weights.
// The backend must use a dynamic algorithm (roundrobin, leastconn): a static one only takes 0%/100%.
import net from 'node:net';
import type { TTrafficRouter, TWeights } from './router.js';
import { firstLine, splitWeights, throwIfAborted } from './router.js';

export interface THaproxyOptions {
  /** The runtime API: a unix socket path, or host:port for a TCP stats socket. */
  socket: string;
  backend: string;
  stableServer?: string;
  canaryServer?: string;
  /** One runtime API exchange, ms (default 3000). */
  timeoutMs?: number;
}

// HAProxy proxy and server names: letters, digits, '-', '_', '.', ':'. Anything else could inject a
// second command through the ';' separator.
const NAME = /^[A-Za-z0-9_.:-]+$/;

function endpoint(socket: string): net.NetConnectOpts {
  const tcp = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(socket);
  if (tcp && !socket.startsWith('/') && !socket.startsWith('.')) {
    return { host: tcp[1]!.replace(/^\[|\]$/g, ''), port: Number(tcp[2]) };
  }
  return { path: socket };
}

/** Sends one line of commands (non-interactive mode: HAProxy answers and closes) and returns the answer. */
export function haproxyCommand(socket: string, command: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const connection = net.createConnection(endpoint(socket));
    let answer = '';
    connection.setEncoding('utf8');
    connection.setTimeout(timeoutMs, () => connection.destroy(new Error(`no answer from HAProxy at ${socket} within ${timeoutMs} ms`)));
    connection.on('connect', () => connection.end(`${command}\n`));
    connection.on('data', (chunk: string) => (answer += chunk));
    connection.on('error', (error) => reject(new Error(`HAProxy runtime API at ${socket}: ${error.message}`)));
    connection.on('close', (hadError) => {
      if (!hadError) resolve(answer);
    });
  });
}

export function createHaproxyRouter(options: THaproxyOptions): TTrafficRouter {
  const stable = options.stableServer ?? 'stable';
  const canary = options.canaryServer ?? 'canary';
  for (const [flag, value] of [['backend', options.backend], ['stable server', stable], ['canary server', canary]] as const) {
    if (!NAME.test(value)) throw new Error(`HAProxy ${flag} name ${JSON.stringify(value)}: only letters, digits, '-', '_', '.', ':'`);
  }
  const timeoutMs = options.timeoutMs ?? 3000;
  const server = (name: string) => `${options.backend}/${name}`;

  async function readWeights(): Promise<TWeights> {
    // Each answer is "<current> (initial <initial>)" followed by an empty line.
    const answer = await haproxyCommand(options.socket, `get weight ${server(stable)};get weight ${server(canary)}`, timeoutMs);
    const current = [...answer.matchAll(/^(\d+) \(initial \d+\)$/gm)].map((m) => Number(m[1]));
    if (current.length !== 2) throw new Error(`HAProxy did not report the weights of ${server(stable)} and ${server(canary)}: ${firstLine(answer)}`);
    return { stable: current[0]!, canary: current[1]! };
  }

  return {
    name: `haproxy backend ${options.backend}`,
    async apply(percent, signal) {
      const target = splitWeights(percent);
      throwIfAborted(signal);
      // The side that keeps traffic is raised first, so the backend is never briefly at weight 0 on both.
      const sets = [
        `set server ${server(stable)} weight ${target.stable}`,
        `set server ${server(canary)} weight ${target.canary}`,
      ];
      if (target.stable === 0) sets.reverse();
      const answer = await haproxyCommand(options.socket, sets.join(';'), timeoutMs);
      // Success is an empty answer for each command; anything else is HAProxy refusing one.
      if (answer.trim() !== '') throw new Error(`HAProxy refused the weights: ${firstLine(answer)}`);
      const now = await readWeights();
      if (now.stable !== target.stable || now.canary !== target.canary) {
        throw new Error(`HAProxy reports weights ${now.stable}/${now.canary}, not ${target.stable}/${target.canary}`);
      }
      return `weights stable ${now.stable}, canary ${now.canary} (as HAProxy reports)`;
    },
  };
}
