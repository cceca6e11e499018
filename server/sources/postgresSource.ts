import pg from 'pg';
import type { ChangeListener, DataSource } from './DataSource.js';
import { postgresCatalog } from './postgresCatalog.js';
import { withPooledClient } from './postgresLease.js';
import { startListener } from './postgresListener.js';
import { readRequest, runReads } from './postgresQuery.js';
import { ReadBatcher } from './postgresReadBatch.js';
import {
  parseTableCounters,
  tableCountersSql,
  type CountedReads,
} from './postgresTableCounters.js';
import { jsonTypes } from './postgresTypes.js';
import { describeDatabaseUrl } from './describeDatabaseUrl.js';

export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

export interface PostgresSourceOptions {
  /** Max connections for section queries (the LISTEN connection is extra). */
  pool: number;
  log?: WarnLogger;
}

/** Bounds the TCP connect + authentication of a new connection, so a black-holed host fails. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * Pooled connections beyond the first close after this long unused. pg's default (10 s) closed
 * them between changes, and each reopening is a new backend, an authentication and a transaction.
 */
const POOL_IDLE_MS = 10 * 60_000;

/**
 * PostgreSQL: section queries through a pool of read-only sessions with a server-side
 * statement_timeout, each read one round trip (extended protocol: one statement only, and never
 * more than maxRows + 1 rows fetched); the reads asked for at the same moment share one round trip
 * and one transaction (ReadBatcher). Change notifications through LISTEN on a dedicated
 * connection. One pooled connection stays open for good; the others close after POOL_IDLE_MS.
 */
export function createPostgresSource(
  url: string,
  opts: PostgresSourceOptions,
): DataSource & CountedReads {
  const log = opts.log ?? consoleWarnLogger;
  // The pool connects lazily: a database that is down at start surfaces from query()/ping().
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.pool,
    min: 1,
    idleTimeoutMillis: POOL_IDLE_MS,
    types: jsonTypes,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'opsdeck',
  });
  // An idle client whose connection drops emits 'error' on the pool; unhandled, it kills the process.
  pool.on('error', (err) => log.warn({ err }, 'postgres: idle pool connection failed'));

  const listeners = new Set<ChangeListener>();
  let closing: Promise<void> | undefined;
  // Reads asked for in one turn of the event loop share a round trip and a transaction.
  const batcher = new ReadBatcher((reads, onAnswer) => runReads(pool, reads, onAnswer));
  let notifications = 0;

  return {
    kind: 'postgres',
    description: describePostgresUrl(url),
    async query(sql, options) {
      return (await batcher.read(readRequest(sql, options))).result;
    },
    settled: () => batcher.settled(),
    async readWithCounters(sql, options, tables) {
      const counted = tables.length > 0 ? tableCountersSql(tables) : undefined;
      const { result, before } = await batcher.read(readRequest(sql, options, counted));
      return { result, counters: before && parseTableCounters(tables, before) };
    },
    notified: () => notifications,
    catalog: postgresCatalog(pool, CONNECT_TIMEOUT_MS + 5_000),
    ping: (timeoutMs) =>
      withPooledClient(pool, timeoutMs, 'ping', async ({ client }) => {
        await client.query('SELECT 1');
      }),
    listen(channel, handlers) {
      if (closing) return Promise.reject(new Error('data source closed'));
      const counted = {
        ...handlers,
        onTable(table: string) {
          notifications += 1;
          handlers.onTable(table);
        },
        onResync() {
          notifications += 1;
          handlers.onResync();
        },
      };
      const listener = startListener(url, channel, counted, CONNECT_TIMEOUT_MS);
      const handle: ChangeListener = {
        close: async () => {
          listeners.delete(handle);
          await listener.close();
        },
      };
      listeners.add(handle);
      return listener.ready.then(() => handle);
    },
    close() {
      closing ??= (async () => {
        await Promise.all([...listeners].map((l) => l.close()));
        await pool.end();
      })();
      return closing;
    },
  };
}

const consoleWarnLogger: WarnLogger = {
  warn: (obj, msg) => console.warn(msg, obj),
};

/** `postgres://user@host:5432/db`: the URL without password or query string, for logs. */
export function describePostgresUrl(url: string): string {
  return describeDatabaseUrl(url, 5432);
}
