// Runs `prisma generate` without the schema-engine download this machine cannot make:
// generate never runs that binary, it only checks that the named file exists.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const prismaBin = fileURLToPath(new URL('../node_modules/.bin/prisma', import.meta.url));
const result = spawnSync(prismaBin, ['generate', '--config', 'prisma.config.ts'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
