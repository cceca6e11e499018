import type pg from 'pg';
import Cursor from 'pg-cursor';
import { cappedResult } from './cappedResult.js';
import type { QueryOptions, QueryResult } from './DataSource.js';
import { withPooledClient } from './postgresLease.js';
import { toColumns, toRow } from './postgresTypes.js';
import { asError, guardQuery } from './queryGuards.js';

/**
 * The server enforces statement_timeout; this client-side margin only catches a connection that
 * stopped answering altogether (then the client is destroyed rather than waited on forever).
 */
const CLIENT_GRACE_MS = 2_000;

/**
 * One section query: a pooled client, a READ ONLY transaction with a server-side statement_timeout,
 * and a cursor (extended protocol: one statement only, and never more than maxRows + 1 rows in
 * memory).
 */
export async function runQuery(
  pool: pg.Pool,
  sql: string,
  options: QueryOptions,
): Promise<QueryResult> {
  const { timeoutMs, maxRows } = guardQuery(sql, options);
  return withPooledClient(pool, timeoutMs + CLIENT_GRACE_MS, 'query', async (lease) => {
    const { client } = lease;
    await client.query('BEGIN READ ONLY');
    try {
      // SET LOCAL: the timeout ends with the transaction, the pooled session stays untouched.
      await client.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
      const result = await readAtMost(client, sql, maxRows + 1);
      await client.query('COMMIT');
      return cappedResult(toColumns(result.fields), result.rows, maxRows, toRow);
    } catch (err) {
      // A failed ROLLBACK means the connection itself is gone: do not return it to the pool.
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        lease.broken ??= asError(rollbackError);
      });
      throw err;
    }
  });
}

interface CursorRead {
  rows: Record<string, unknown>[];
  fields: pg.FieldDef[];
}

/** Runs sql through a cursor and reads at most `limit` rows; the rest is never fetched. */
async function readAtMost(client: pg.PoolClient, sql: string, limit: number): Promise<CursorRead> {
  const cursor = client.query(new Cursor<Record<string, unknown>>(sql));
  const read = await new Promise<CursorRead>((resolve, reject) => {
    // The callback form, because only it hands over the fields (needed when there are no rows).
    cursor.read(limit, (err, rows, result) => {
      if (err) reject(err);
      else resolve({ rows, fields: result.fields });
    });
  });
  // Only after a successful read: closing an errored cursor waits for a reply that never comes.
  await cursor.close();
  return read;
}
