import type { TActor } from '@rampart/domain';
import type { Clock } from '../clock.js';
import type { Db } from '../db/prisma.js';

/** What every service verb receives: where to read and write, who acts, and what time it is. */
export interface TServiceContext {
  db: Db;
  actor: TActor;
  clock: Clock;
}
