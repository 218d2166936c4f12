// Why live updates need no in-process path on the embedded database: it is a real PostgreSQL, so a
// NOTIFY committed on one connection reaches every connection that LISTENs, and a rolled-back one
// reaches none.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { LIVE_CHANNEL } from '../../src/live/notifier.js';
import { until } from '../support/until.js';

describe('the embedded database', () => {
  it('delivers a committed NOTIFY to another connection that LISTENs, and a rolled-back one to none', async () => {
    const embedded = await startEmbeddedPostgres({ dataDir: null });
    const listener = new pg.Client({ connectionString: embedded.connectionString });
    const writer = new pg.Client({ connectionString: embedded.connectionString });
    try {
      await listener.connect();
      await writer.connect();
      const heard: string[] = [];
      listener.on('notification', (n) => heard.push(n.payload ?? ''));
      await listener.query(`LISTEN ${LIVE_CHANNEL}`);
      await writer.query('BEGIN');
      await writer.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, 'rolled back']);
      await writer.query('ROLLBACK');
      await writer.query('BEGIN');
      await writer.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, 'committed']);
      await writer.query('COMMIT');
      await until('the listener to hear the committed notice', () => heard.length > 0);
      expect(heard).toEqual(['committed']);
    } finally {
      await listener.end();
      await writer.end();
      await embedded.stop();
    }
  });
});
