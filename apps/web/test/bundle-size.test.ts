// The initial JavaScript a browser downloads before the first page shows (the entry script and the
// chunks index.html preloads), gzipped, must stay under the budget. Charts and admin load on demand.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Measured 112 KB gzip (React, react-dom, react-router, react-query, the pages); recharts is lazy. */
const BUDGET_KB = 150;
const root = resolve(import.meta.dirname, '..');
let outDir: string;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'rampart-web-size-'));
  // Vitest sets NODE_ENV=test; measure the production build, as `vite build` makes it.
  await build({
    root,
    mode: 'production',
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { outDir, emptyOutDir: true },
  });
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

function initialScripts(html: string): string[] {
  const entry = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  return [...new Set([...entry, ...preloads])];
}

describe('initial bundle', () => {
  it(`stays under ${BUDGET_KB} KB of gzipped JavaScript`, () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const files = initialScripts(html);
    expect(files.length).toBeGreaterThan(0);
    const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(outDir, file))).length, 0);
    const kb = Math.round((bytes / 1024) * 10) / 10;
    console.info(`initial JS: ${kb} KB gzip over ${files.length} file(s); budget ${BUDGET_KB} KB`);
    expect(kb).toBeLessThan(BUDGET_KB);
  });

  it('keeps recharts out of the initial scripts', () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const initial = initialScripts(html).map((file) => readFileSync(join(outDir, file), 'utf8')).join('\n');
    expect(initial).not.toContain('recharts-wrapper');
  });

  it('never probes for eval, which the CSP forbids (zod does, so no chunk may bundle it)', () => {
    const chunks = readdirSync(join(outDir, 'assets')).filter((file) => file.endsWith('.js'));
    // zod's allowsEval probe, minified: Function(``) / Function("") / new Function('').
    const probing = chunks.filter((file) => /\bFunction\((``|""|'')\)/.test(readFileSync(join(outDir, 'assets', file), 'utf8')));
    expect(probing, 'chunks that call Function("") (import only types from @rampart/contracts in the browser)').toEqual([]);
  });
});
