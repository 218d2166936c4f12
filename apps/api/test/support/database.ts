// A fresh, migrated database for one test file: a copy of the global setup's template on the
// DATABASE_URL server, or else on the embedded PostgreSQL the global setup started for the run. Prisma's pg
// adapter ignores `?schema=`, so tests are kept apart by database.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createPrisma } from '../../src/db/prisma.js';
import type { Db } from '../../src/db/prisma.js';
import { admin, databaseUrl, retryWhileInUse } from './postgres-admin.js';
import type {} from './provided-context.js';

export interface TestDatabase {
  url: string;
  prisma: Db;
  /** Disconnects Prisma and removes the database. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** false: an empty database, for tests of the migrations themselves. Default true. */
  migrated?: boolean;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const server = inject('rampartDatabase');
  if (server) {
    const name = `rampart_t_${randomBytes(6).toString('hex')}`;
    const template = migrated ? ` TEMPLATE "${server.template}"` : '';
    await retryWhileInUse(() => admin(server.serverUrl, `CREATE DATABASE "${name}"${template}`));
    const url = databaseUrl(server.serverUrl, name);
    const prisma = createPrisma(url);
    return {
      url,
      prisma,
      drop: async () => {
        await prisma.$disconnect();
        await admin(server.serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  }

  const embedded = await startEmbeddedPostgres({ dataDir: null });
  try {
    if (migrated) await applyMigrations(embedded.connectionString);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  const prisma = createPrisma(embedded.connectionString);
  return {
    url: embedded.connectionString,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await embedded.stop();
    },
  };
}
