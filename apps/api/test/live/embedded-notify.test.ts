// Why the embedded database uses the in-process path: PGlite behind pglite-socket is one backend
// session shared by every connection, so a NOTIFY is delivered to the connection that committed it,
// never to a dedicated LISTEN connection. If this test starts failing, NOTIFY works there too and
// local mode could go.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { LIVE_CHANNEL } from '../../src/live/notifier.js';

describe('the embedded database', () => {
  it('does not deliver a NOTIFY to another connection that LISTENs', async () => {
    const embedded = await startEmbeddedPostgres({ dataDir: null });
    const listener = new pg.Client({ connectionString: embedded.connectionString });
    const writer = new pg.Client({ connectionString: embedded.connectionString });
    try {
      await listener.connect();
      await writer.connect();
      const heard = { listener: [] as string[], writer: [] as string[] };
      listener.on('notification', (n) => heard.listener.push(n.payload ?? ''));
      writer.on('notification', (n) => heard.writer.push(n.payload ?? ''));
      await listener.query(`LISTEN ${LIVE_CHANNEL}`);
      await writer.query('BEGIN');
      await writer.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, 'committed']);
      await writer.query('COMMIT');
      await listener.query('SELECT 1');
      expect(heard).toEqual({ listener: [], writer: ['committed'] });
    } finally {
      await listener.end();
      await writer.end();
      await embedded.stop();
    }
  });
});
