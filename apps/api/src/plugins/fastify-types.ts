import type { TActor, TPermission } from '@rampart/domain';
import type { Clock } from '../clock.js';
import type { TConfig } from '../config.js';
import type { Db } from '../db/prisma.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    clock: Clock;
    settings: TConfig;
  }
  interface FastifyRequest {
    /** Who is calling: set by the auth plugin before validation; null for anonymous calls to public routes. */
    actor: TActor | null;
  }
  interface FastifyContextConfig {
    /** What the caller must be allowed to do. Every route declares this or `public`. */
    permission?: TPermission;
    public?: boolean;
  }
}
