// A scratch database for one benchmark run: a new database on the server named by DATABASE_URL (dropped
// afterwards), or an in-memory embedded PostgreSQL without one.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { applyMigrations } from '../src/db/migrations.js';

export interface TBenchDatabase {
  url: string;
  kind: string;
  drop(): Promise<void>;
}

async function run(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function benchDatabase(server: string | undefined = process.env.DATABASE_URL): Promise<TBenchDatabase> {
  if (server) {
    const name = `rampart_bench_${randomBytes(4).toString('hex')}`;
    await run(server, `CREATE DATABASE "${name}"`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    await applyMigrations(url.toString());
    return { url: url.toString(), kind: 'PostgreSQL server', drop: () => run(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: null });
  await applyMigrations(embedded.connectionString);
  return { url: embedded.connectionString, kind: 'embedded PostgreSQL 17', drop: () => embedded.stop() };
}
