import pg from 'pg';

/**
 * Throw-away PostgreSQL databases on the local server, for tests (test/helpers/services.ts) and
 * benchmarks (bench/lib/pg.ts): how to connect, create and drop, once.
 */

export const PG_HOST = '127.0.0.1';
export const PG_PORT = 5432;
/** Trust authentication on the test machines knows both users; prefer the conventional one. */
const PG_USERS = ['postgres', 'root'];

/** A connected client as the first user that trust authentication lets in. */
export async function connectPostgres(
  database: string,
  connectionTimeoutMillis = 3000,
): Promise<{ client: pg.Client; user: string }> {
  let lastError: unknown;
  for (const user of PG_USERS) {
    const client = new pg.Client({
      host: PG_HOST,
      port: PG_PORT,
      user,
      database,
      connectionTimeoutMillis,
    });
    client.on('error', () => undefined); // a terminated admin connection must not crash the run
    try {
      await client.connect();
      return { client, user };
    } catch (err) {
      lastError = err;
      await client.end().catch(() => undefined);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** Creates database `name`; returns its URL for the code under test (no password: trust). */
export async function createPostgresDatabaseNamed(name: string): Promise<string> {
  const { client, user } = await connectPostgres('postgres');
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return `postgres://${user}@${PG_HOST}:${PG_PORT}/${name}`;
}

/** Ends every other connection to database `name` (they would make DROP fail), then drops it. */
export async function dropPostgresDatabase(name: string): Promise<void> {
  const { client } = await connectPostgres('postgres');
  try {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
