// The agent's --router flags into a router; a missing or malformed flag is a usage error naming it.
import { CliExit, EXIT } from '../exit-codes.js';
import { createHaproxyRouter } from './haproxy.js';
import { createNginxRouter } from './nginx.js';
import type { TTrafficRouter } from './router.js';

export interface TRouterFlags {
  router?: 'haproxy' | 'nginx';
  haproxySocket?: string;
  haproxyBackend?: string;
  haproxyStable: string;
  haproxyCanary: string;
  nginxUpstreamFile?: string;
  nginxStable?: string;
  nginxCanary?: string;
  nginxConf?: string;
  nginxPrefix?: string;
  nginxPid: string;
  nginxBin: string;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new CliExit(EXIT.usage, `agent --router: ${flag} is required`);
  return value;
}

export function routerFromFlags(o: TRouterFlags): TTrafficRouter {
  try {
    if (o.router === 'haproxy') {
      return createHaproxyRouter({
        socket: required(o.haproxySocket, '--haproxy-socket'),
        backend: required(o.haproxyBackend, '--haproxy-backend'),
        stableServer: o.haproxyStable,
        canaryServer: o.haproxyCanary,
      });
    }
    return createNginxRouter({
      upstreamFile: required(o.nginxUpstreamFile, '--nginx-upstream-file'),
      stable: required(o.nginxStable, '--nginx-stable'),
      canary: required(o.nginxCanary, '--nginx-canary'),
      ...(o.nginxConf ? { config: o.nginxConf } : {}),
      ...(o.nginxPrefix ? { prefix: o.nginxPrefix } : {}),
      pidFile: o.nginxPid,
      binary: o.nginxBin,
    });
  } catch (error) {
    if (error instanceof CliExit) throw error;
    throw new CliExit(EXIT.usage, `agent --router ${o.router}: ${(error as Error).message}`);
  }
}
