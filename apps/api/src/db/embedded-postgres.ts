// PostgreSQL without a server install: PGlite (Postgres compiled to WebAssembly, in this
// process) served over the real wire protocol on a loopback port, so pg, Prisma's adapter and
// the migration engine connect to it exactly as they connect to a real server.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { lockDataDir } from './data-dir-lock.js';
import type { DataDirLock } from './data-dir-lock.js';
import { ProtocolCycleQueue } from './pglite-protocol-queue.js';

export interface EmbeddedPostgres {
  /** postgresql://postgres@127.0.0.1:<port>/postgres */
  connectionString: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder that keeps the database between runs (created if missing); null keeps it in memory. */
  dataDir: string | null;
  /**
   * Client connections the server accepts at once (default 64). PGlite still runs one
   * statement at a time; a connection past the limit is refused, not queued, so this must
   * cover every pool pointed at it.
   */
  maxConnections?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  let lock: DataDirLock | undefined;
  if (options.dataDir !== null) {
    await mkdir(options.dataDir, { recursive: true });
    lock = await lockDataDir(options.dataDir);
  }
  let db: PGlite;
  try {
    db = options.dataDir === null ? await PGlite.create() : await PGlite.create(options.dataDir);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections ?? 64,
  });
  useProtocolCycleQueue(server, db);
  try {
    await server.start();
  } catch (error) {
    await db.close();
    await lock?.release();
    throw error;
  }
  const connectionString = `postgresql://postgres@${server.getServerConn()}/postgres`;

  let stopped: Promise<void> | undefined;
  return {
    connectionString,
    stop: () =>
      (stopped ??= (async () => {
        await server.stop();
        // Detached connections roll back their transactions asynchronously; closing waits for
        // PGlite's own lock, which those rollbacks hold while they run.
        await db.close();
        await lock?.release();
      })()),
  };
}

/**
 * Swaps the server's private query queue for ProtocolCycleQueue before any connection exists
 * (handlers take the queue when they are created). pglite-socket is pinned to 0.2.17; the
 * check makes an upgrade that renames the field fail loudly instead of silently losing the fix.
 */
function useProtocolCycleQueue(server: PGLiteSocketServer, db: PGlite): void {
  const internals = server as unknown as Record<string, unknown>;
  if (!('queryQueue' in internals)) {
    throw new Error('pglite-socket changed: PGLiteSocketServer has no queryQueue to replace (see pglite-protocol-queue.ts)');
  }
  internals['queryQueue'] = new ProtocolCycleQueue(db);
}
