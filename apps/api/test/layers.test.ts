// Every arrow points down: routes, plugins, the autopilot, live/, webhooks/ and notify/ call the services;
// the services call the ports below them (db/, with the outbox and the change notice); the ports call
// nothing above. An import against that direction fails here, naming the file and what it imports.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

/** What sits above the services: folders and the files that build the app. */
const ABOVE_SERVICES = ['webhooks', 'live', 'routes', 'plugins', 'autopilot', 'notify', 'demo', 'app.ts', 'server.ts'];
const ABOVE_PORTS = ['services', ...ABOVE_SERVICES];

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every module specifier: static imports, re-exports, `import type`, dynamic import(). */
function specifiersOf(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) found.push(match[1]!);
  return found;
}

/** The imports of `file` that land in one of `forbidden` (top-level names under src/), as "file -> specifier". */
function upwardImports(file: string, source: string, forbidden: readonly string[]): string[] {
  return specifiersOf(source)
    .filter((specifier) => specifier.startsWith('.'))
    .filter((specifier) => {
      const target = path.relative(SRC, path.resolve(path.dirname(file), specifier));
      const top = target.split(path.sep)[0]!.replace(/\.js$/, '.ts');
      return forbidden.includes(top);
    })
    .map((specifier) => `${path.relative(SRC, file)} -> ${specifier}`);
}

function violations(dir: string, forbidden: readonly string[]): string[] {
  return sourcesUnder(path.join(SRC, dir)).flatMap((file) => upwardImports(file, readFileSync(file, 'utf8'), forbidden));
}

describe('layers', () => {
  it('finds an upward import in every form it can be written', () => {
    const file = path.join(SRC, 'services/releases/example.ts');
    const source = [
      "import { enqueue } from '../../webhooks/enqueue.js';",
      "import type { TNotice } from '../../live/notifier.js';",
      "export { x } from '../../routes/status.js';",
      "import '../../plugins/auth.js';",
      "const lazy = await import('../../autopilot/loop.js');",
      "import {\n  a,\n  b,\n} from '../../notify/outbox.js';",
      "import { buildApp } from '../../app.js';",
      "import { loadRelease } from './release-record.js';",
      "import { prisma } from '../../db/prisma.js';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(upwardImports(file, source, ABOVE_SERVICES)).toEqual([
      'services/releases/example.ts -> ../../webhooks/enqueue.js',
      'services/releases/example.ts -> ../../live/notifier.js',
      'services/releases/example.ts -> ../../routes/status.js',
      'services/releases/example.ts -> ../../plugins/auth.js',
      'services/releases/example.ts -> ../../autopilot/loop.js',
      'services/releases/example.ts -> ../../notify/outbox.js',
      'services/releases/example.ts -> ../../app.js',
    ]);
  });

  it('has no service importing what sits above the services', () => {
    expect(sourcesUnder(path.join(SRC, 'services')).length).toBeGreaterThan(50);
    expect(violations('services', ABOVE_SERVICES)).toEqual([]);
  });

  it('has the ports below the services (db/, the outbox, the change notice) import nothing above them', () => {
    expect(violations('db', ABOVE_PORTS)).toEqual([]);
  });
});
