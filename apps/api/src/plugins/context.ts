import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';
import type { TConfig } from '../config.js';
import type { Db } from '../db/prisma.js';
import type { TServiceContext } from '../services/context.js';
import type { FastifyRequest } from 'fastify';
import { ServiceError } from '../errors.js';

/** The database, the clock and the settings, shared by every route. The app does not own the database: its caller closes it. */
export const contextPlugin = fp<{ db: Db; clock: Clock; settings: TConfig }>(
  async (app, options) => {
    app.decorate('db', options.db);
    app.decorate('clock', options.clock);
    app.decorate('settings', options.settings);
  },
  { name: 'database' },
);

/** The service context of an authenticated request. */
export function serviceContext(request: FastifyRequest): TServiceContext {
  if (!request.actor) throw new ServiceError('unauthorized', 'Log in or send an API token');
  return { db: request.server.db, clock: request.server.clock, actor: request.actor };
}
