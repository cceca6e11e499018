import type pg from 'pg';
import { cappedResult } from './cappedResult.js';
import type { QueryOptions, QueryResult } from './DataSource.js';
import { CappedRead, type CappedStatement } from './postgresCappedRead.js';
import { withPooledClient } from './postgresLease.js';
import { jsonTypes, toColumns, toRow } from './postgresTypes.js';
import { asError, guardQuery } from './queryGuards.js';

/**
 * The server enforces statement_timeout; this client-side margin only catches a connection that
 * stopped answering altogether (then the client is destroyed rather than waited on forever).
 */
const CLIENT_GRACE_MS = 2_000;

/** The statement timeout each pooled session was given (read-only comes with it). */
const sessionTimeouts = new WeakMap<pg.ClientBase, number>();

/** Command tags of reads that leave the session as it was. */
const READ_COMMANDS = new Set(['SELECT', 'SHOW', 'EXPLAIN', 'FETCH', undefined]);

/**
 * One section query on a pooled session that is read-only (default_transaction_read_only) and
 * has the server-side statement_timeout, both set once per connection (again only if a query asks
 * for another timeout). The read itself is one round trip and one implicit transaction: no BEGIN,
 * SET LOCAL or COMMIT, at most maxRows + 1 rows fetched (see CappedRead).
 *
 * A read that could have changed the session (a SET or other non-read command, or a reported
 * change of default_transaction_read_only) returns its connection destroyed, never pooled.
 */
export async function runQuery(
  pool: pg.Pool,
  sql: string,
  options: QueryOptions,
): Promise<QueryResult> {
  return (await runRead(pool, sql, options)).result;
}

/**
 * runQuery, with `before` (Opsdeck's own SQL, all rows kept) run first in the same round trip and
 * transaction. If `before` fails, the read is made again without it (`before` is then undefined).
 */
export async function runRead(
  pool: pg.Pool,
  sql: string,
  options: QueryOptions,
  before?: string,
): Promise<{ result: QueryResult; before: Record<string, unknown>[] | undefined }> {
  const { timeoutMs, maxRows } = guardQuery(sql, options);
  return withPooledClient(pool, timeoutMs + CLIENT_GRACE_MS, 'query', async (lease) => {
    const { client } = lease;
    if (sessionTimeouts.get(client) !== timeoutMs) {
      sessionTimeouts.delete(client);
      // One simple-query round trip, once per connection: both settings last for the session.
      await client.query(
        `SET default_transaction_read_only = on; SET statement_timeout = ${timeoutMs}`,
      );
      sessionTimeouts.set(client, timeoutMs);
    }
    const main = { text: sql, limit: maxRows + 1 };
    const attempt = async (statements: CappedStatement[]) => {
      const read = new CappedRead(statements, jsonTypes);
      client.query(read);
      try {
        return await read.done;
      } catch (error) {
        if (read.lostConnection) lease.broken ??= asError(error);
        if (statements.length > 1 && read.failedStatement === 0 && !read.lostConnection) {
          return undefined; // `before` failed, the section's SQL never ran
        }
        throw error;
      }
    };
    let answer = before ? await attempt([{ text: before, limit: 0 }, main]) : undefined;
    const withBefore = answer !== undefined;
    answer ??= await attempt([main]);
    if (!answer) throw new Error('unreachable: a read without `before` settles or throws');
    const result = answer.statements.at(-1) ?? { rows: [], fields: [], command: undefined };
    const readOnly = answer.changedParameters.get('default_transaction_read_only');
    if (!READ_COMMANDS.has(result.command) || (readOnly !== undefined && readOnly !== 'on')) {
      lease.broken ??= new Error(`section SQL ran ${result.command ?? 'a command'}: session reset`);
    }
    // A query that calls set_config() can change the session's timeout: set it again next time.
    if (/set_config/i.test(sql)) sessionTimeouts.delete(client);
    return {
      result: cappedResult(toColumns(result.fields), result.rows, maxRows, toRow),
      before: withBefore ? answer.statements[0]?.rows : undefined,
    };
  });
}
