import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Column, ColumnType, Row } from '../../common/protocol.js';
import type {
  ChangeListener,
  DataSource,
  ListenHandlers,
  QueryOptions,
  QueryResult,
} from './DataSource.js';
import { normalizeValue } from './normalizeValue.js';
import { findSecondStatement } from './singleStatement.js';

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
 * The server enforces statement_timeout; this client-side margin only catches a connection that
 * stopped answering altogether (then the client is destroyed rather than waited on forever).
 */
const CLIENT_GRACE_MS = 2_000;
const LISTEN_BACKOFF_MIN_MS = 250;
const LISTEN_BACKOFF_MAX_MS = 10_000;
/** A LISTEN connection can die silently (NAT, failover): a periodic round trip notices. */
const LISTEN_HEARTBEAT_MS = 15_000;

/**
 * PostgreSQL: section queries through a pool, each in a READ ONLY transaction with a server-side
 * statement_timeout, read through a cursor (extended protocol: one statement only, and never more
 * than maxRows + 1 rows in memory). Change notifications through LISTEN on a dedicated connection.
 */
export function createPostgresSource(url: string, opts: PostgresSourceOptions): DataSource {
  const log = opts.log ?? consoleWarnLogger;
  // The pool connects lazily: a database that is down at start surfaces from query()/ping().
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.pool,
    types: jsonTypes,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'opsdeck',
  });
  // An idle client whose connection drops emits 'error' on the pool; unhandled, it kills the process.
  pool.on('error', (err) => log.warn({ err }, 'postgres: idle pool connection failed'));

  const listeners = new Set<ChangeListener>();
  let closing: Promise<void> | undefined;

  return {
    kind: 'postgres',
    description: describePostgresUrl(url),
    query: (sql, options) => runQuery(pool, sql, options),
    ping: (timeoutMs) =>
      withPooledClient(pool, timeoutMs, 'ping', async ({ client }) => {
        await client.query('SELECT 1');
      }),
    listen(channel, handlers) {
      if (closing) return Promise.reject(new Error('data source closed'));
      const listener = startListener(url, channel, handlers);
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
  try {
    const u = new URL(url);
    const user = u.username ? `${u.username}@` : '';
    return `${u.protocol}//${user}${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    // Not a WHATWG URL (socket-directory forms): at least never print a password.
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1@').replace(/\?.*$/, '');
  }
}

// ---------------------------------------------------------------------------------------------
// Values: every result value must already be JSON-shaped, without touching the global pg.types.

const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  float4: 700,
  float8: 701,
  int8Array: 1016,
  date: 1082,
  timestamp: 1114,
  timestampArray: 1115,
  dateArray: 1182,
  timestamptz: 1184,
  timestamptzArray: 1185,
  interval: 1186,
  numericArray: 1231,
  numeric: 1700,
} as const;

type TextParser = (text: string) => unknown;

const keepText: TextParser = (text) => text;
/** int8 and numeric as JS numbers: dashboards chart them; NaN/Infinity become null later. */
const toNumber: TextParser = (text) => Number(text);

/** pg-types types the OID as its enum of built-ins; at run time any OID is accepted. */
const defaultParser = pg.types.getTypeParser as (
  oid: number,
  format?: 'text' | 'binary',
) => unknown;

/** pg's text[] parser splits any array literal into (nested) element strings or nulls. */
const TEXT_ARRAY_OID = 1009;
const splitArray = defaultParser(TEXT_ARRAY_OID, 'text') as TextParser;

function mapElements(value: unknown, parse: TextParser): unknown {
  if (Array.isArray(value)) return value.map((v) => mapElements(v, parse));
  return typeof value === 'string' ? parse(value) : value;
}

const arrayOf =
  (parse: TextParser): TextParser =>
  (text) =>
    mapElements(splitArray(text), parse);

/**
 * Parsers run inside the socket's data handler, where a throw is an uncaught exception that ends
 * the process. Whatever goes wrong, fall back to the text the server sent.
 */
const neverThrow =
  (parse: TextParser): TextParser =>
  (text) => {
    try {
      return parse(text);
    } catch {
      return text;
    }
  };

const textParsers = new Map<number, TextParser>(
  (
    [
      [OID.int8, toNumber],
      [OID.numeric, toNumber],
      [OID.date, keepText],
      // Without a zone the value is taken as UTC: the server's own zone must not leak into the data.
      [OID.timestamp, parseTimestamp],
      [OID.timestamptz, parseTimestamp],
      // pg's default turns an interval into an object of parts; its text reads better in a table.
      [OID.interval, keepText],
      [OID.int8Array, arrayOf(toNumber)],
      [OID.numericArray, arrayOf(toNumber)],
      [OID.dateArray, arrayOf(keepText)],
      [OID.timestampArray, arrayOf(parseTimestamp)],
      [OID.timestamptzArray, arrayOf(parseTimestamp)],
    ] as const
  ).map(([oid, parse]) => [oid, neverThrow(parse)]),
);

/** Per-pool type parsers (falling back to pg's defaults), so no other pg user is affected. */
const jsonTypes: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown =>
    (format ?? 'text') === 'text'
      ? (textParsers.get(oid) ?? defaultParser(oid, format))
      : defaultParser(oid, format),
};

const PG_TIMESTAMP =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?(?:([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?)?( BC)?$/;

/**
 * PostgreSQL timestamp text ('2024-01-02 03:04:05.123456+05:30', offsets may carry seconds, years
 * may be BC) to an ISO 8601 UTC string. A value without an offset is read as UTC. Sub-millisecond
 * digits are dropped (JSON consumers parse with Date). 'infinity' and friends stay as they are.
 */
export function parseTimestamp(text: string): string {
  const m = PG_TIMESTAMP.exec(text);
  if (!m) return text;
  const year = m[12] ? 1 - Number(m[1]) : Number(m[1]);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), Math.floor(Number(m[7] ?? 0) * 1000));
  const sign = m[8] === '-' ? -1 : 1;
  const offsetSeconds = m[8]
    ? sign * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0))
    : 0;
  const utc = new Date(date.getTime() - offsetSeconds * 1000);
  return Number.isNaN(utc.getTime()) ? text : utc.toISOString();
}

const NUMBER_OIDS = new Set<number>([
  OID.int2,
  OID.int4,
  OID.int8,
  OID.float4,
  OID.float8,
  OID.numeric,
  OID.oid,
]);
const TIME_OIDS = new Set<number>([OID.date, OID.timestamp, OID.timestamptz]);

function columnType(dataTypeID: number): ColumnType {
  if (NUMBER_OIDS.has(dataTypeID)) return 'number';
  if (TIME_OIDS.has(dataTypeID)) return 'time';
  if (dataTypeID === OID.bool) return 'boolean';
  return 'string';
}

/**
 * Columns in result order. Duplicate names collapse to one column (rows are objects, where the
 * last value wins; the column keeps its first position, like the object key does).
 */
function toColumns(fields: readonly pg.FieldDef[]): Column[] {
  const byName = new Map<string, ColumnType>();
  for (const f of fields) byName.set(f.name, columnType(f.dataTypeID));
  return [...byName].map(([name, type]) => ({ name, type }));
}

function toRow(raw: Record<string, unknown>, columns: readonly Column[]): Row {
  const row: Row = {};
  for (const { name } of columns) row[name] = normalizeValue(raw[name]);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Queries

async function runQuery(pool: pg.Pool, sql: string, options: QueryOptions): Promise<QueryResult> {
  assertSingleStatement(sql);
  const timeoutMs = validTimeout(options.timeoutMs);
  const maxRows = validMaxRows(options.maxRows);
  return withPooledClient(pool, timeoutMs + CLIENT_GRACE_MS, 'query', async (lease) => {
    const { client } = lease;
    await client.query('BEGIN READ ONLY');
    try {
      // SET LOCAL: the timeout ends with the transaction, the pooled session stays untouched.
      await client.query(`SET LOCAL statement_timeout = ${timeoutMs}`);
      const result = await readAtMost(client, sql, maxRows + 1);
      await client.query('COMMIT');
      const columns = toColumns(result.fields);
      return {
        columns,
        rows: result.rows.slice(0, maxRows).map((raw) => toRow(raw, columns)),
        truncated: result.rows.length > maxRows,
      };
    } catch (err) {
      // A failed ROLLBACK means the connection itself is gone: do not return it to the pool.
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        lease.broken ??= asError(rollbackError);
      });
      throw err;
    }
  });
}

function assertSingleStatement(sql: string): void {
  const at = findSecondStatement(sql);
  if (at !== undefined) {
    throw new Error(
      `section SQL must be a single statement; a second one starts at offset ${at}: ` +
        JSON.stringify(sql.slice(at, at + 40)),
    );
  }
}

/** statement_timeout is interpolated into SQL, so only a positive integer may get there (0 = off). */
function validTimeout(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`invalid statement timeout: ${ms}`);
  return Math.ceil(ms);
}

function validMaxRows(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid maxRows: ${n}`);
  return n;
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

// ---------------------------------------------------------------------------------------------
// Pooled clients with a hard deadline

interface Lease {
  readonly client: pg.PoolClient;
  /** Set when the connection must be destroyed instead of going back to the pool. */
  broken: Error | undefined;
}

/**
 * Runs work on a pooled client and settles within deadlineMs even if the socket hangs: on expiry
 * the call rejects and the client is destroyed. A client that errored while checked out is
 * destroyed too; a healthy one goes back to the pool.
 */
function withPooledClient<T>(
  pool: pg.Pool,
  deadlineMs: number,
  what: string,
  work: (lease: Lease) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let lease: Lease | undefined;
    let settled = false;
    const expired = new Error(`${what} timed out after ${deadlineMs} ms`);
    const timer = setTimeout(() => {
      settled = true;
      reject(expired);
      if (lease) {
        lease.broken ??= expired;
        lease.client.release(lease.broken);
      }
    }, deadlineMs);

    pool.connect().then(
      (client) => {
        if (settled) return client.release(); // deadline passed while waiting for the pool
        const current: Lease = { client, broken: undefined };
        lease = current;
        // Without a listener, an error on a checked-out client would crash the process.
        const onError = (err: Error): void => {
          current.broken ??= err;
        };
        client.on('error', onError);
        const finish = (outcome: () => void): void => {
          if (settled) return; // the timer already rejected and destroyed the client
          settled = true;
          clearTimeout(timer);
          client.release(current.broken); // release(error) destroys instead of pooling
          client.off('error', onError); // after release: the pool has its own listener again
          outcome();
        };
        work(current).then(
          (value) => finish(() => resolve(value)),
          (err: unknown) => finish(() => reject(asError(err))),
        );
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(asError(err));
      },
    );
  });
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

// ---------------------------------------------------------------------------------------------
// LISTEN with reconnect

interface RunningListener {
  /** Settles after the first connection attempt, whatever its outcome. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps one dedicated connection LISTENing on channel. When it fails: onError, reconnect with
 * exponential backoff and jitter, re-LISTEN, then onResync (notifications may have been missed).
 * The first connection does not call onResync: the caller runs everything at start anyway.
 */
function startListener(url: string, channel: string, handlers: ListenHandlers): RunningListener {
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;
  let everListened = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  // Called for every way a connection can end; `client` tells whether it is still the current one.
  function lost(c: pg.Client, err: Error): void {
    if (c !== client) return;
    client = undefined;
    clearInterval(heartbeat);
    c.end().catch(() => undefined);
    if (closed) return;
    handlers.onError(err);
    const delay = Math.min(LISTEN_BACKOFF_MAX_MS, LISTEN_BACKOFF_MIN_MS * 2 ** failures);
    failures += 1;
    // Jitter spreads the reconnects of many servers after a database restart.
    retryTimer = setTimeout(() => void connect(), delay / 2 + Math.random() * (delay / 2));
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      application_name: 'opsdeck-listen',
    });
    client = c;
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('postgres LISTEN connection ended')));
    c.on('notification', (msg) => {
      if (msg.channel === channel) handlers.onTable(msg.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (err) {
      lost(c, asError(err));
      return;
    }
    if (c !== client) return; // lost or closed while connecting
    failures = 0;
    heartbeat = startHeartbeat(c, (err) => lost(c, err));
    if (everListened) handlers.onResync();
    everListened = true;
  }

  return {
    ready: connect(),
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(heartbeat);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}

/** A round trip every LISTEN_HEARTBEAT_MS; one still unanswered at the next tick counts as lost. */
function startHeartbeat(c: pg.Client, onLost: (err: Error) => void): NodeJS.Timeout {
  let waiting = false;
  return setInterval(() => {
    if (waiting) return onLost(new Error('postgres LISTEN connection stopped answering'));
    waiting = true;
    c.query('SELECT 1').then(
      () => (waiting = false),
      (err: unknown) => onLost(asError(err)),
    );
  }, LISTEN_HEARTBEAT_MS);
}
