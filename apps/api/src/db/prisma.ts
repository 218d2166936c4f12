// The one way Rampart opens Prisma: the client with @prisma/adapter-pg (plain `pg`), which
// needs no engine binary and works the same against a server and the embedded database.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Prisma } from '../generated/prisma/client.js';

export type Db = PrismaClient;
/** The client handed to `db.$transaction(async (tx) => ...)`: use it, not `db`, inside. */
export type Tx = Prisma.TransactionClient;

export interface CreatePrismaOptions {
  /** Pool size (pg's default is 10). */
  max?: number;
}

/**
 * The adapter ignores `?schema=` in the connection string (prisma/orm#28611): separate
 * databases, not schemas, keep tests and tenants apart.
 */
export function createPrisma(connectionString: string, options: CreatePrismaOptions = {}): PrismaClient {
  const pool = new pg.Pool(options.max === undefined ? { connectionString } : { connectionString, max: options.max });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const client = new PrismaClient({ adapter });
  pools.set(client, pool);
  return client;
}

const pools = new WeakMap<PrismaClient, pg.Pool>();

/**
 * The pg pool under a client made by createPrisma, for what Prisma cannot say (COPY FROM STDIN).
 * Undefined once the client has disconnected: a reconnecting client opens a pool of its own.
 */
export function rawPool(db: Db): pg.Pool | undefined {
  const pool = pools.get(db);
  return pool && !pool.ending && !pool.ended ? pool : undefined;
}
