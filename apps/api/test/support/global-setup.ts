// Vitest global setup. Migrates one template database per version of the migrations, which every
// test file then copies (CREATE DATABASE ... TEMPLATE) in a fraction of the time migrating would
// take, on the server of DATABASE_URL, or else on one embedded PostgreSQL started for the whole run
// (stopped, and its folder removed, at the end): the same code paths either way, LISTEN/NOTIFY
// between connections included.
import { createHash, randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { applyMigrations, findMigrationsDir, readMigrations } from '../../src/db/migrations.js';
import { admin, databaseExists, databaseUrl, retryWhileInUse } from './postgres-admin.js';
import type { TestDatabaseServer } from './provided-context.js';

const DUPLICATE_DATABASE = '42P04';

/** Every test file's pools, and the instances of the live tests, share the embedded server. */
const EMBEDDED_MAX_CONNECTIONS = 500;

export default async function setup({ provide }: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env['DATABASE_URL'];
  const embedded = given ? null : await startEmbeddedPostgres({ dataDir: null, maxConnections: EMBEDDED_MAX_CONNECTIONS });
  const serverUrl = given ?? embedded!.connectionString;
  try {
    const server: TestDatabaseServer = { serverUrl, template: await ensureTemplate(serverUrl) };
    provide('rampartDatabase', server);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return embedded ? () => embedded.stop() : undefined;
}

/** rampart_tpl_<first 8 hex of a hash of the migrations>, created unless it exists. */
async function ensureTemplate(serverUrl: string): Promise<string> {
  const files = await readMigrations(findMigrationsDir());
  const hash = createHash('sha256').update(files.lockfile ?? '');
  for (const { name, sql } of files.migrations) hash.update(`\0${name}\0${sql}`);
  const template = `rampart_tpl_${hash.digest('hex').slice(0, 8)}`;
  if (await databaseExists(serverUrl, template)) return template;

  // Built under a private name and renamed when complete, so a concurrent run (CI and a
  // developer share the server) never copies a half-migrated template: the rename is atomic,
  // and whoever loses the race drops its copy.
  const build = `${template}_build_${randomBytes(3).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE "${build}"`);
  try {
    await applyMigrations(databaseUrl(serverUrl, build));
    // No sessions on the template (autovacuum's included) means no "source database is being
    // accessed by other users" when test files copy it.
    await admin(serverUrl, `ALTER DATABASE "${build}" WITH ALLOW_CONNECTIONS false`);
    await retryWhileInUse(() => admin(serverUrl, `ALTER DATABASE "${build}" RENAME TO "${template}"`));
  } catch (error) {
    await retryWhileInUse(() => admin(serverUrl, `DROP DATABASE IF EXISTS "${build}" WITH (FORCE)`));
    if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
  }
  return template;
}
