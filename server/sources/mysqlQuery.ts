import type { FieldPacket, Pool, PoolConnection, RowDataPacket } from 'mysql2';
import { cappedResult } from './cappedResult.js';
import type { QueryOptions, QueryResult } from './DataSource.js';
import { run, withPooledConnection } from './mysqlConnection.js';
import { sessionSettings, type Flavor } from './mysqlFlavor.js';
import { toColumns, toRow } from './mysqlTypes.js';
import { guardQuery } from './queryGuards.js';

/**
 * The server enforces the statement timeout; this client-side margin only catches a connection that
 * stopped answering altogether (then it is destroyed rather than waited on forever).
 */
const CLIENT_GRACE_MS = 2_000;

/**
 * One section query: a pooled connection whose session is (re)set to read-only, UTC and the
 * statement timeout, a READ ONLY transaction, and a streamed result of which at most maxRows + 1
 * rows are kept.
 */
export async function runQuery(
  pool: Pool,
  flavorOf: (conn: PoolConnection) => Promise<Flavor>,
  sql: string,
  options: QueryOptions,
): Promise<QueryResult> {
  const { timeoutMs, maxRows } = guardQuery(sql, options);
  return withPooledConnection(pool, timeoutMs + CLIENT_GRACE_MS, 'query', async (lease) => {
    const { conn } = lease;
    await run(conn, sessionSettings(await flavorOf(conn), timeoutMs));
    await run(conn, 'START TRANSACTION READ ONLY');
    try {
      const result = await readAtMost(conn, sql, maxRows + 1);
      await run(conn, 'COMMIT');
      return cappedResult(toColumns(result.fields), result.rows, maxRows, toRow);
    } catch (err) {
      // A failed ROLLBACK means the connection itself is gone: do not return it to the pool.
      await run(conn, 'ROLLBACK').catch(() => (lease.broken = true));
      throw err;
    }
  });
}

interface StreamedRead {
  rows: Record<string, unknown>[];
  fields: FieldPacket[];
}

/**
 * Streams the result and keeps the first `limit` rows. The rest is read off the wire and dropped
 * (the protocol has no way to stop a result early short of killing the connection); the statement
 * timeout bounds how long that can take.
 */
function readAtMost(conn: PoolConnection, sql: string, limit: number): Promise<StreamedRead> {
  return new Promise<StreamedRead>((resolve, reject) => {
    const rows: Record<string, unknown>[] = [];
    let fields: FieldPacket[] = [];
    // A connection that dies mid-result fails the connection, not the event-style query.
    const onConnectionError = (err: Error): void => reject(err);
    conn.once('error', onConnectionError);
    conn
      .query(sql)
      .on('fields', (f: FieldPacket[]) => (fields = f))
      .on('result', (row: RowDataPacket) => {
        if (rows.length < limit) rows.push(row);
      })
      .on('error', (err) => reject(err)) // always followed by 'end'; resolve() then does nothing
      .on('end', () => {
        conn.off('error', onConnectionError);
        resolve({ rows, fields });
      });
  });
}
