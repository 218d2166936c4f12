// Bundles the API into dist/server.js for `pnpm start`. The API's own dependencies stay normal imports
// from its node_modules; everything else (our workspace packages' TypeScript and their dependencies,
// which dist/ could not resolve) is bundled in.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const manifest = JSON.parse(readFileSync(here('../package.json'), 'utf8'));
const apiDependencies = new Set(Object.keys(manifest.dependencies));

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const externalDependencies = {
  name: 'external-dependencies',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageName(args.path);
      if (args.path.startsWith('node:') || (apiDependencies.has(name) && !name.startsWith('@rampart/'))) {
        return { path: args.path, external: true };
      }
      return undefined;
    });
  },
};

await build({
  entryPoints: [here('../src/server.ts')],
  outfile: here('../dist/server.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalDependencies],
});
