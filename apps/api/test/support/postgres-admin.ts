// Database-level statements (CREATE/DROP/ALTER DATABASE) on a PostgreSQL server, for tests.
import pg from 'pg';

const OBJECT_IN_USE = '55006';

/** The server's URL pointing at another database on it. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs statements on their own connection: CREATE/DROP DATABASE cannot run inside a transaction. */
export async function admin(serverUrl: string, sql: string, values?: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

export async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const result = await admin(serverUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return result.rowCount === 1;
}

/**
 * Retries while PostgreSQL answers "database is being accessed by other users": a backend
 * whose client just disconnected lingers for a moment and still holds its database.
 */
export async function retryWhileInUse<T>(action: () => Promise<T>, attempts = 50): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
