// Serves the built dashboard (apps/web/dist) on the API's own port: its files as they are (hashed assets
// cached for a year), and index.html for every other page address, so the SPA's routes load directly.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** apps/web/dist, found upwards from this module (src in development, dist in production). */
export function findWebRoot(start: string = path.dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'apps', 'web', 'dist');
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

function isFileUnder(root: string, urlPath: string): boolean {
  try {
    const resolved = path.resolve(root, `.${decodeURIComponent(urlPath)}`);
    return resolved.startsWith(root + path.sep) && statSync(resolved).isFile();
  } catch {
    return false;
  }
}

export const spaPlugin = fp<{ root: string }>(
  async (app, { root }) => {
    // serve: false: only reply.sendFile (with its path-traversal guard); the one route below is ours.
    await app.register(fastifyStatic, { root, serve: false });
    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      const urlPath = request.url.split('?')[0] ?? '/';
      if (urlPath === '/api' || urlPath.startsWith('/api/')) {
        return reply.code(404).send({ statusCode: 404, error: 'not_found', message: `No route GET ${urlPath}` });
      }
      if (urlPath !== '/' && isFileUnder(root, urlPath)) {
        const immutable = urlPath.startsWith('/assets/');
        return reply.sendFile(urlPath.slice(1), { maxAge: immutable ? 31_536_000_000 : 0, immutable });
      }
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', { maxAge: 0 });
    });
  },
  { name: 'spa' },
);
