import ZongJi, { type AnyBinlogEvent, type QueryEvent, type RowsEvent } from '@vlasky/zongji';
import { parseMysqlUrl } from './mysqlUrl.js';

/** Where the stream stands in the server's binary log: the next event to read. */
export interface BinlogPosition {
  filename: string;
  position: number;
}

/**
 * How the stream was (re)opened. `start`: at the end of the log (the first open); `resumed`: at
 * the last position, nothing was missed; `lost`: the last position was purged from the log, so the
 * stream restarted at its end and changes committed meanwhile were not seen.
 */
export type BinlogOpen = 'start' | 'resumed' | 'lost';

export interface BinlogHandlers {
  /** Rows of `schema.table` were written, updated or deleted (one call per row event). */
  onRows(schema: string, table: string): void;
  /** A statement other than BEGIN/COMMIT in `schema` (DDL such as TRUNCATE; statement-logged DML). */
  onStatement(schema: string): void;
  /** The server accepted the dump request and is streaming from where `how` says. */
  onOpen(how: BinlogOpen): void;
  /** The stream failed; a new attempt starts in `retryInMs`. */
  onError(error: Error, retryInMs: number): void;
}

export interface BinlogFeedOptions {
  /** This client's server id: unique among the primary's replicas (see binlogServerId). */
  serverId: number;
  /** Row events of these schemas (all tables: `true`) or tables only; absent: every schema. */
  include?: Record<string, string[] | true>;
  backoff?: { initialMs: number; maxMs: number };
  /**
   * The server sends a heartbeat after this long without events (default 2 s); three missed
   * heartbeats count as a lost connection, so a hung server is told within ~7 s (it, or a
   * half-open connection behind a dead NAT or a partition, would otherwise look idle forever).
   */
  heartbeatMs?: number;
}

export interface BinlogFeed {
  /** The last position whose events were all handled (undefined before the first open). */
  position(): BinlogPosition | undefined;
  /** The server's thread id of the current replication connection (for tests and logs). */
  threadId(): number | undefined;
  close(): Promise<void>;
}

/** ER_MASTER_FATAL_ERROR_READING_BINLOG: e.g. the requested log file was purged. */
const ER_BINLOG_READ = 1236;
const ROW_EVENTS = ['tablemap', 'writerows', 'updaterows', 'deleterows'];
/**
 * Statements that change tables' data without row events (TRUNCATE, DDL) or, with another
 * binlog_format than ROW, with them; not BEGIN/COMMIT nor account or server statements.
 */
const CHANGES_DATA =
  /^\s*(INSERT|UPDATE|DELETE|REPLACE|TRUNCATE|LOAD\s+DATA|(CREATE|DROP|ALTER|RENAME)\s+(OR\s+REPLACE\s+)?(TEMPORARY\s+)?TABLE)\b/i;
const LEADING_COMMENTS = /^(\s*\/\*[\s\S]*?\*\/)*\s*/;
/**
 * Commits and rotations move the resume position; statements can change data without rows;
 * `unknown`: MySQL 8.0.26+ sends its heartbeats as HEARTBEAT_LOG_EVENT_V2, which zongji does not
 * name (every event the server sends keeps the connection counted as alive).
 */
const EVENTS = [...ROW_EVENTS, 'xid', 'query', 'rotate', 'heartbeat', 'unknown'];

/**
 * A MySQL / MariaDB binary log reader (zongji, one replication connection plus one control
 * connection for table metadata), reconnecting with backoff. It resumes at the last position it
 * reached (zongji keeps it at transaction boundaries, so a transaction is replayed rather than cut),
 * and when that position is gone, restarts at the end of the log and says so (`lost`).
 */
export function openBinlogFeed(
  url: string,
  options: BinlogFeedOptions,
  handlers: BinlogHandlers,
): BinlogFeed {
  const target = parseMysqlUrl(url);
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 5000 };
  const heartbeatMs = options.heartbeatMs ?? 2000;
  let client: ZongJi | undefined;
  let last: BinlogPosition | undefined;
  let lostPosition = false;
  let opened = false;
  let retryMs = backoff.initialMs;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let stopWatchdog = (): void => undefined;

  const connect = (): void => {
    timer = undefined;
    if (closed) return;
    const z = new ZongJi({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      enableKeepAlive: true,
      connectTimeout: 10_000,
    });
    client = z;
    const resumeFrom = lostPosition ? undefined : last;
    let open = false;
    let failed = false;
    let heardAt = Date.now();
    const watchdog = setInterval(() => {
      const silentMs = Date.now() - heardAt;
      if (silentMs > 3 * heartbeatMs) {
        fail(
          new Error(`no event nor heartbeat from the server for ${Math.round(silentMs / 1000)} s`),
        );
      }
    }, heartbeatMs / 2);
    watchdog.unref();
    const fail = (error: Error): void => {
      if (client !== z || failed) return;
      failed = true;
      clearInterval(watchdog);
      if (resumeFrom && isPositionGone(error)) lostPosition = true;
      client = undefined;
      void stopClient(z);
      const wait = retryMs;
      retryMs = Math.min(retryMs * 2, backoff.maxMs);
      handlers.onError(error, wait);
      if (!closed) timer = setTimeout(connect, wait);
    };
    // Queued on the replication connection before the dump request ('ready' comes just before).
    z.on('ready', () => {
      const ns = heartbeatMs * 1_000_000;
      z.connection?.query(
        `SET @master_heartbeat_period = ${ns}, @source_heartbeat_period = ${ns}`,
        () => undefined,
      );
    });
    z.on('binlog', (event: AnyBinlogEvent) => {
      if (client !== z) return;
      heardAt = Date.now();
      if (!open) {
        open = true;
        retryMs = backoff.initialMs;
        const how: BinlogOpen = resumeFrom ? 'resumed' : opened ? 'lost' : 'start';
        opened = true;
        lostPosition = false;
        handlers.onOpen(how);
      }
      handle(event);
      const { filename, position } = z.options;
      if (filename && position) last = { filename, position };
    });
    z.on('error', fail);
    stopWatchdog = () => clearInterval(watchdog);
    z.start({
      serverId: options.serverId,
      includeEvents: EVENTS,
      ...(options.include ? { includeSchema: options.include } : {}),
      ...(resumeFrom
        ? { filename: resumeFrom.filename, position: resumeFrom.position }
        : { startAtEnd: true }),
    });
  };

  const handle = (event: AnyBinlogEvent): void => {
    switch (event.getEventName()) {
      case 'writerows':
      case 'updaterows':
      case 'deleterows': {
        const rows = event as RowsEvent;
        const table = rows.tableMap[rows.tableId];
        if (table) handlers.onRows(table.parentSchema, table.tableName);
        return;
      }
      case 'query': {
        const query = event as QueryEvent;
        if (CHANGES_DATA.test(query.query.replace(LEADING_COMMENTS, ''))) {
          if (!options.include || query.schema in options.include || query.schema === '') {
            handlers.onStatement(query.schema);
          }
        }
        return;
      }
      default:
        return;
    }
  };

  connect();

  return {
    position: () => last,
    threadId: () => client?.connection?.threadId ?? undefined,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      stopWatchdog();
      const z = client;
      client = undefined;
      return z ? stopClient(z) : Promise.resolve();
    },
  };
}

/**
 * The server cannot stream from the requested position: its file was purged (or the position lies
 * beyond the file's end). Other replication errors (1236 also reports, for example, another reader
 * with the same server id) keep the position and retry.
 */
function isPositionGone(error: Error): boolean {
  return (
    (error as { errno?: number }).errno === ER_BINLOG_READ &&
    /could not find (first )?log file|purged|position > file size|beyond/i.test(error.message)
  );
}

/** Stops a client (it KILLs its dump thread through the control connection) within a second. */
function stopClient(z: ZongJi): Promise<void> {
  z.removeAllListeners('binlog');
  z.removeAllListeners('error');
  z.on('error', () => undefined); // teardown noise of the connections being destroyed
  return new Promise<void>((resolve) => {
    const done = setTimeout(resolve, 1500);
    z.once('stopped', () => {
      clearTimeout(done);
      resolve();
    });
    try {
      z.stop();
    } catch {
      clearTimeout(done);
      resolve();
    }
  });
}
