// The database Rampart runs on: the server named by DATABASE_URL, or else the embedded PostgreSQL
// kept in the data folder. Either way migrations are applied before anything else touches it.
import type { TConfig } from '../config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { applyMigrations } from './migrations.js';
import type { Db } from './prisma.js';
import { createPrisma } from './prisma.js';

export interface TOpenDatabase {
  db: Db;
  /** Where the data lives, without credentials, for the start-up log. */
  description: string;
  migrationsApplied: string[];
  close(): Promise<void>;
}

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
}

export async function openDatabase(config: Pick<TConfig, 'databaseUrl' | 'dataDir'>): Promise<TOpenDatabase> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const url = embedded ? embedded.connectionString : String(config.databaseUrl);
  try {
    const { applied } = await applyMigrations(url);
    const db = createPrisma(url);
    return {
      db,
      description: embedded ? `embedded PostgreSQL in ${config.dataDir}` : withoutCredentials(url),
      migrationsApplied: applied,
      async close() {
        await db.$disconnect();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
