import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMigrationsDir, SCHEMA_SNAPSHOT, writeNextMigration } from '../../src/db/migrations.js';
import { createTestDatabase } from '../support/database.js';
import type { TestDatabase } from '../support/database.js';

// Works on a copy of prisma/ in a temp folder: the real one is never written.
describe('writeNextMigration', () => {
  let db: TestDatabase;
  let work: string;
  let migrationsDir: string;
  let schemaPath: string;

  beforeAll(async () => {
    // The engine connects to a database as it starts (it only reads the server version).
    db = await createTestDatabase({ migrated: false });
    work = await mkdtemp(join(tmpdir(), 'rampart-migrations-'));
    migrationsDir = join(work, 'migrations');
    schemaPath = join(work, 'schema.prisma');
    const real = findMigrationsDir();
    await cp(real, migrationsDir, { recursive: true });
    await cp(join(dirname(real), 'schema.prisma'), schemaPath);
  });
  afterAll(async () => {
    await db?.drop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const write = (name: string, now?: Date) =>
    writeNextMigration(name, { migrationsDir, schemaPath, connectionString: db.url, ...(now ? { now } : {}) });

  it('returns null and writes nothing when the schema has not changed', async () => {
    const before = await readdir(migrationsDir);
    expect(await write('nothing_changed')).toBeNull();
    expect(await readdir(migrationsDir)).toEqual(before);
  });

  it('writes the SQL for a change, updates the snapshot, then has nothing more to write', async () => {
    const schema = await readFile(schemaPath, 'utf8');
    const changed = schema.replace(/model Lease \{\n/, 'model Lease {\n  note String?\n');
    expect(changed).not.toBe(schema);
    await writeFile(schemaPath, changed);

    const dir = await write('lease_note', new Date(Date.UTC(2099, 0, 2, 3, 4, 5)));
    expect(dir).toBe(join(migrationsDir, '20990102030405_lease_note'));
    const sql = await readFile(join(dir!, 'migration.sql'), 'utf8');
    expect(sql).toContain('ALTER TABLE "Lease" ADD COLUMN     "note" TEXT;');
    expect(await readFile(join(migrationsDir, SCHEMA_SNAPSHOT), 'utf8')).toBe(changed);
    expect(await write('again')).toBeNull();
  });

  it('keeps a new migration after the latest one even when the clock says otherwise', async () => {
    const schema = await readFile(schemaPath, 'utf8');
    await writeFile(schemaPath, schema.replace(/model Lease \{\n/, 'model Lease {\n  owner String?\n'));
    const dir = await write('lease_owner', new Date(Date.UTC(2000, 0, 1)));
    expect(dir).toBe(join(migrationsDir, '20990102030406_lease_owner'));
  });

  it('diffs from an empty database when there is no snapshot, and writes the lock file', async () => {
    const fresh = join(work, 'fresh-migrations');
    await mkdir(fresh);
    const dir = await writeNextMigration('init', { migrationsDir: fresh, schemaPath, connectionString: db.url });
    expect(dir).not.toBeNull();
    expect(await readFile(join(dir!, 'migration.sql'), 'utf8')).toContain('CREATE TABLE "ReleaseEvent"');
    expect(await readFile(join(fresh, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
    expect(await readFile(join(fresh, SCHEMA_SNAPSHOT), 'utf8')).toBe(await readFile(schemaPath, 'utf8'));
  });

  it('refuses a name that is not snake_case', async () => {
    await expect(write('Add-Thing')).rejects.toThrow(/snake_case/);
  });
});
