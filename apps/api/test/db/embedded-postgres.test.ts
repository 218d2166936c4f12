import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import type { EmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createPrisma } from '../../src/db/prisma.js';
import type { Db } from '../../src/db/prisma.js';
import { until } from '../support/until.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('embedded PostgreSQL on a data folder', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'rampart-embedded-')), 'data');
  });
  afterAll(async () => {
    if (dataDir) await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('creates the folder, keeps the data across a stop and start, and admits one process at a time', async () => {
    const first = await startEmbeddedPostgres({ dataDir });
    try {
      await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/already open in this process/);
      const pool = new pg.Pool({ connectionString: first.connectionString, max: 2 });
      await pool.query('CREATE TABLE kept (id int PRIMARY KEY, note text)');
      await pool.query(`INSERT INTO kept VALUES (1, 'before restart')`);
      await pool.end();
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir });
    try {
      const client = new pg.Client({ connectionString: second.connectionString });
      await client.connect();
      const { rows } = await client.query('SELECT id, note FROM kept');
      await client.end();
      expect(rows).toEqual([{ id: 1, note: 'before restart' }]);
    } finally {
      await second.stop();
    }
    // Two PGlite starts on a folder: over 30 s on a loaded machine.
  }, 120_000);
});

describe('embedded PostgreSQL with pools of several connections', () => {
  let embedded: EmbeddedPostgres;
  let prisma: Db;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir: null });
    await applyMigrations(embedded.connectionString);
    prisma = createPrisma(embedded.connectionString, { max: 5 });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await embedded?.stop();
  });

  it('runs an interactive transaction while queries on the other pooled connections wait for it', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const order: string[] = [];
    const transaction = prisma.$transaction(async (tx) => {
      await tx.lease.create({ data: { name: 'tx-1', holder: 'a', expiresAt } });
      order.push('tx: first write');
      await sleep(300);
      await tx.lease.create({ data: { name: 'tx-2', holder: 'a', expiresAt } });
      order.push('tx: second write');
      return tx.lease.count({ where: { name: { startsWith: 'tx-' } } });
    });
    // The others are sent while the transaction is open (a fixed wait was too short on a loaded machine).
    await until('the transaction to have written once', () => order.includes('tx: first write'), 30_000);
    const others = Array.from({ length: 20 }, (_, i) =>
      prisma.lease.create({ data: { name: `other-${i}`, holder: 'b', expiresAt } }).then(() => order.push('other')),
    );
    expect(await transaction).toBe(2);
    await Promise.all(others);
    // Nothing else ran between the transaction's two writes.
    expect(order.slice(0, 2)).toEqual(['tx: first write', 'tx: second write']);
    expect(await prisma.lease.count()).toBe(22);
  });

  it('runs concurrent transactions one after the other, and a failed one rolls back without blocking the rest', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        prisma.$transaction(async (tx) => {
          await tx.lease.create({ data: { name: `many-${i}`, holder: 'c', expiresAt } });
          await sleep(20);
          if (i === 3) throw new Error('boom');
          return tx.lease.count({ where: { name: `many-${i}` } });
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(await prisma.lease.count({ where: { holder: 'c' } })).toBe(5);
  });

  it('keeps large statements (split across socket reads) and small ones from other connections apart', async () => {
    const pool = new pg.Pool({ connectionString: embedded.connectionString, max: 5 });
    try {
      await pool.query('CREATE TABLE blobs (id int PRIMARY KEY, body text)');
      const big = 'x'.repeat(256 * 1024);
      const work = Array.from({ length: 40 }, (_, i) =>
        i % 4 === 0
          ? pool.query('INSERT INTO blobs VALUES ($1, $2) RETURNING length(body) AS n', [i, big]).then((r) => r.rows[0].n === big.length)
          : pool.query('SELECT $1::int * 2 AS doubled, $2::text AS tag', [i, `t${i}`]).then((r) => r.rows[0].doubled === i * 2 && r.rows[0].tag === `t${i}`),
      );
      expect(await Promise.all(work)).toEqual(work.map(() => true));
    } finally {
      await pool.end();
    }
  });

  it('rolls back the transaction of a connection that dies, and lets the others go on', async () => {
    const pool = new pg.Pool({ connectionString: embedded.connectionString, max: 2 });
    pool.on('error', () => undefined);
    const dying = await pool.connect();
    const other = await pool.connect();
    dying.on('error', () => undefined);
    try {
      await dying.query('BEGIN');
      await dying.query('CREATE TABLE never_committed (id int)');
      const waiting = other.query(`SELECT to_regclass('never_committed') AS t`);
      await sleep(50);
      (dying as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
      expect((await waiting).rows).toEqual([{ t: null }]);
      expect((await other.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      dying.release(true);
      other.release();
      await pool.end();
    }
  });

  it('does not let another connection run between the messages of one extended-protocol cycle', async () => {
    const port = Number(new URL(embedded.connectionString).port);
    const raw = await RawConnection.open(port);
    const other = new pg.Client({ connectionString: embedded.connectionString });
    await other.connect();
    try {
      // Half a cycle (Parse, Bind), then another client's query, then the rest (Execute, Sync).
      raw.send(message('P', cstr(''), cstr(`SELECT 'raw' AS who`), int16(0)), message('B', cstr(''), cstr(''), int16(0), int16(0), int16(0)));
      await sleep(50);
      const otherQuery = other.query('SELECT $1::text AS who', ['pg']);
      await sleep(50);
      raw.send(message('E', cstr(''), Buffer.from([0, 0, 0, 0])), message('S'));
      expect((await otherQuery).rows).toEqual([{ who: 'pg' }]);
      const reply = await raw.readUntilReady();
      expect(reply).toContain('raw');
      expect(reply).not.toContain('ERROR');
    } finally {
      raw.close();
      await other.end();
    }
  });
});

// A bare wire-protocol client: pg always sends a whole cycle at once, so the split has to be made by hand.
function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const cstr = (s: string) => Buffer.from(`${s}\0`);
const int16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);

class RawConnection {
  #received = Buffer.alloc(0);
  #waiters: (() => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (data) => {
      this.#received = Buffer.concat([this.#received, data]);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const connection = new RawConnection(socket);
    const params = Buffer.concat([Buffer.from([0, 3, 0, 0]), cstr('user'), cstr('postgres'), cstr('database'), cstr('postgres'), Buffer.from([0])]);
    const length = Buffer.alloc(4);
    length.writeInt32BE(params.length + 4);
    socket.write(Buffer.concat([length, params]));
    await connection.readUntilReady();
    return connection;
  }

  send(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  /** Everything received up to the next ReadyForQuery, as latin1 text. */
  async readUntilReady(): Promise<string> {
    for (;;) {
      const text = this.#received.toString('latin1');
      const ready = text.indexOf('Z\0\0\0\x05');
      if (ready !== -1) {
        this.#received = this.#received.subarray(ready + 6);
        return text.slice(0, ready);
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
