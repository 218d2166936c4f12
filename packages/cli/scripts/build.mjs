// Bundles the CLI into one JavaScript file, dist/rampart.js (the package's `bin`), so it runs on plain
// Node without tsx and without the workspace's TypeScript sources: `npx`/`pnpm dlx` and a copied file work alike.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const outfile = fileURLToPath(new URL('../dist/rampart.js', import.meta.url));
await build({
  entryPoints: [fileURLToPath(new URL('../src/main.ts', import.meta.url))],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: {
    // Bundled CommonJS dependencies (ws) call require(); an ES module has none of its own.
    js: "#!/usr/bin/env node\nimport { createRequire as __rampartCreateRequire } from 'node:module';\nconst require = __rampartCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
await chmod(outfile, 0o755);
