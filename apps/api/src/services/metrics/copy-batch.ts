// The large-batch write path, on one pg connection. First the batch's scalars are COPYed straight
// into "MetricPoint" under a savepoint: a batch of new points (the common case) is then stored at
// COPY's speed, well ahead of an INSERT ... ON CONFLICT, whose per-row speculative insertion costs
// more than the COPY itself. If any point's key is taken (a resend, a repeat within the batch), the
// savepoint is rolled back and the scalars go through a temporary table instead, inserted from it
// with ON CONFLICT DO NOTHING and checked for conflicts like a small batch. Prisma cannot run
// COPY FROM STDIN, so this path holds its own transaction (BEGIN ... COMMIT) on a client of the
// pool under Prisma (db/prisma.ts: rawPool).
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../../db/prisma.js';
import { rawPool } from '../../db/prisma.js';

/** Below this many scalars the temporary table costs more than it saves. */
export const COPY_MIN_POINTS = 1_000;

/** The pool to COPY through, or undefined (a stand-in client without one) to keep the unnest path. */
export function copyPool(db: Db): pg.Pool | undefined {
  return rawPool(db);
}

/** Runs `work` in a transaction of its own on one connection of the pool; rolls back if it throws. */
export async function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: unknown;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A failed ROLLBACK means the connection is unusable: it leaves the pool instead of going back.
    await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken instanceof Error ? broken : undefined);
  }
}

export interface TScalarColumns {
  index: number[];
  cohort: string[];
  metric: string[];
  ts: number[];
  value: number[];
}

/** Rows per chunk written to the COPY stream: large enough to amortise, small enough not to buffer much. */
const COPY_CHUNK = 2_000;

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * COPYs the scalars straight into "MetricPoint"; true if all were stored, false (and nothing stored)
 * if a key was taken. A key another transaction holds uncommitted makes the COPY wait for it, as
 * ON CONFLICT would, so a conflicting batch committed meanwhile is seen by the fallback's check.
 */
export async function copyNewScalars(client: pg.PoolClient, releaseId: string, columns: TScalarColumns): Promise<boolean> {
  await client.query('SAVEPOINT straight_copy');
  try {
    // Whole milliseconds no later than 5 minutes ahead (validated before): ISO text with a 4-digit year.
    await copyRows(client, 'COPY "MetricPoint" ("releaseId", cohort, metric, ts, value) FROM STDIN', columns.index.length, (k) =>
      `${releaseId}\t${columns.cohort[k]}\t${columns.metric[k]}\t${new Date(columns.ts[k]!).toISOString()}\t${columns.value[k]}\n`,
    );
  } catch (error) {
    if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    await client.query('ROLLBACK TO SAVEPOINT straight_copy');
    return false;
  }
  await client.query('RELEASE SAVEPOINT straight_copy');
  return true;
}

async function copyRows(client: pg.PoolClient, sql: string, count: number, line: (k: number) => string): Promise<void> {
  const copy = client.query(copyFrom(sql));
  await pipeline(
    function* () {
      for (let start = 0; start < count; start += COPY_CHUNK) {
        let chunk = '';
        for (let k = start; k < Math.min(count, start + COPY_CHUNK); k++) chunk += line(k);
        yield chunk;
      }
    },
    copy as unknown as Writable,
  );
}

/**
 * Copies the scalars into `metric_batch` (dropped at commit), one row per point with its index in
 * the request. Cohorts are an enum and metric names snake_case (validated before), and numbers print
 * without tabs or backslashes, so the text format needs no escaping.
 */
export async function copyScalars(client: pg.PoolClient, columns: TScalarColumns): Promise<void> {
  await client.query('CREATE TEMPORARY TABLE metric_batch (i int, c text, m text, t float8, v float8) ON COMMIT DROP');
  await copyRows(client, 'COPY metric_batch (i, c, m, t, v) FROM STDIN', columns.index.length, (k) =>
    `${columns.index[k]}\t${columns.cohort[k]}\t${columns.metric[k]}\t${columns.ts[k]}\t${columns.value[k]}\n`,
  );
}
