import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, findMigrationsDir, readMigrations, toMigrationList } from '../../src/db/migrations.js';
import type { MigrationFiles } from '../../src/db/migrations.js';
import { NO_EXTERNAL_ENTITIES, openSchemaEngine } from '../../src/db/schema-engine.js';
import { createTestDatabase } from '../support/database.js';
import type { TestDatabase } from '../support/database.js';

describe('applyMigrations', () => {
  let db: TestDatabase;
  let files: MigrationFiles;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    files = await readMigrations(findMigrationsDir());
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('applies every migration to an empty database, then nothing the second time', async () => {
    const names = files.migrations.map((m) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(await applyMigrations(db.url)).toEqual({ applied: names });
    expect(await applyMigrations(db.url)).toEqual({ applied: [] });
  });

  it('records them in _prisma_migrations as prisma migrate deploy does', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
        logs: string | null;
        applied_steps_count: number;
      }>('SELECT migration_name, checksum, finished_at, rolled_back_at, logs, applied_steps_count FROM _prisma_migrations ORDER BY migration_name');
      expect(rows).toEqual(
        files.migrations.map(({ name, sql }) => ({
          migration_name: name,
          checksum: createHash('sha256').update(sql).digest('hex'),
          finished_at: expect.any(Date),
          rolled_back_at: null,
          logs: null,
          applied_steps_count: 1,
        })),
      );
    } finally {
      await client.end();
    }
  });

  it('leaves a history Prisma itself reads as up to date', async () => {
    const { engine, close } = await openSchemaEngine({ connectionString: db.url });
    try {
      const diagnosis = await engine.diagnoseMigrationHistory({
        migrationsList: toMigrationList(files),
        optInToShadowDatabase: false,
        filters: NO_EXTERNAL_ENTITIES,
      });
      expect(diagnosis).toMatchObject({ history: null, failedMigrationNames: [], editedMigrationNames: [], hasMigrationsTable: true });
    } finally {
      await close();
    }
  });
});
