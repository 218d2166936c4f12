import type { Db, Tx } from '../../db/prisma.js';

/** Generous waits: under a burst of concurrent actions the losers queue for a connection, then fail fast on the revision. */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { maxWait: 20_000, timeout: 30_000 });
}
