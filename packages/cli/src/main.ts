// Entry point: the `rampart` bin (dist/rampart.js, built by scripts/build.mjs), `pnpm rampart <command>`
// from the workspace root, or `tsx src/main.ts <command>`.
// Under pnpm the process runs in packages/cli; file arguments are taken relative to where the user
// typed the command (pnpm's INIT_CWD).
import { runCli } from './cli.js';

const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => controller.abort());
}

const code = await runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.env.INIT_CWD ?? process.cwd() },
  controller.signal,
);
process.exitCode = code;
// Let stdout drain, then leave even if a socket or timer lingers.
setImmediate(() => process.exit(code));
