// The OpenAPI document as the routes' schemas describe it, built without a database connection.
import { stringify } from 'yaml';
import { buildApp } from './app.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { createPrisma } from './db/prisma.js';

export async function openApiDocument(): Promise<unknown> {
  // Prisma connects lazily and generating the document runs no query, so this URL is never dialled.
  const db = createPrisma('postgresql://openapi@127.0.0.1:9/none');
  const app = await buildApp({ db, clock: systemClock, settings: loadConfig({}), webhooks: false });
  try {
    return app.swagger();
  } finally {
    await app.close();
    await db.$disconnect();
  }
}

export async function openApiYaml(): Promise<string> {
  return stringify(await openApiDocument(), { lineWidth: 0 });
}
