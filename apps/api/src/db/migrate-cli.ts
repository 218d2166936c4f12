// `pnpm db:migrate` (apply) and `pnpm db:migration:new <name>` (new): Rampart's stand-in for
// `prisma migrate deploy` and `prisma migrate dev --create-only`, whose native engine cannot be
// downloaded on every machine.
import { resolve } from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { applyMigrations, isMigrationName, writeNextMigration } from './migrations.js';

const USAGE = `usage: migrate-cli apply            apply pending migrations (DATABASE_URL, else the embedded database in RAMPART_DATA_DIR, default .data/)
       migrate-cli new <snake_name>  write the next migration from prisma/schema.prisma`;

async function apply(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (url) {
    report(await applyMigrations(url), 'DATABASE_URL');
    return;
  }
  // pnpm runs the script inside apps/api; INIT_CWD is where the user typed the command.
  const dataDir = resolve(process.env['INIT_CWD'] ?? process.cwd(), process.env['RAMPART_DATA_DIR'] ?? '.data');
  const embedded = await startEmbeddedPostgres({ dataDir });
  try {
    report(await applyMigrations(embedded.connectionString), `embedded database in ${dataDir}`);
  } finally {
    await embedded.stop();
  }
}

function report({ applied }: { applied: string[] }, target: string): void {
  if (applied.length === 0) console.log(`No pending migrations (${target}).`);
  else console.log(`Applied ${applied.length} migration(s) to ${target}:\n${applied.map((n) => `  ${n}`).join('\n')}`);
}

async function createMigration(name: string | undefined): Promise<void> {
  if (name === undefined || !isMigrationName(name)) {
    console.error(`The migration name must be snake_case, e.g. add_release_tags (got ${name === undefined ? 'nothing' : `"${name}"`}).`);
    process.exitCode = 2;
    return;
  }
  const dir = await writeNextMigration(name);
  if (dir === null) console.log('prisma/schema.prisma has not changed since the last migration: nothing written.');
  else console.log(`Wrote ${resolve(dir, 'migration.sql')}`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'apply' && rest.length === 0) return apply();
  if (command === 'new' && rest.length <= 1) return createMigration(rest[0]);
  console.error(USAGE);
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
