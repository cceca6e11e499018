import type { Column, Row } from '../../common/protocol.js';
import type { FeedCatalog } from './FeedCatalog.js';

export type DatabaseKind = 'sqlite' | 'postgres' | 'mysql';

export interface QueryOptions {
  /** Abort the statement after this long (server-side where the database supports it). */
  timeoutMs: number;
  /** Keep at most this many rows; more sets `truncated`. */
  maxRows: number;
}

export interface QueryResult {
  rows: Row[];
  columns: Column[];
  truncated: boolean;
}

/** Called with the table name carried by a change notification. */
export type TableChangeHandler = (table: string) => void;

export interface ChangeListener {
  close(): Promise<void>;
}

export interface ListenHandlers {
  /** A notification arrived naming this table. */
  onTable: TableChangeHandler;
  /** The listen connection was (re)established: anything may have changed meanwhile. */
  onResync: () => void;
  /** The listen connection failed; it is being retried. */
  onError: (error: Error) => void;
}

/**
 * One database behind one interface. Implementations run every query read-only where the database
 * supports it, one statement only, with a statement timeout and a row cap. They never throw from the
 * constructor because a database that is down at start must not stop the server: errors surface from
 * query() and ping() and the caller retries.
 */
export interface DataSource {
  readonly kind: DatabaseKind;
  /** Human description without credentials, for logs and `check`. */
  readonly description: string;
  query(sql: string, options: QueryOptions): Promise<QueryResult>;
  /**
   * Resolves once the reads in flight now have all been answered, when the source answers some
   * reads before others of the same round trip (PostgreSQL's batches): a section's run ends with
   * its batch, so that the sections of one change stay in step for the next one.
   */
  settled?(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(timeoutMs: number): Promise<void>;
  /** PostgreSQL only: LISTEN on a dedicated connection, reconnecting with backoff. */
  listen?(channel: string, handlers: ListenHandlers): Promise<ChangeListener>;
  /** PostgreSQL only: catalog lookups to verify the notify feed (tables, triggers, plans). */
  readonly catalog?: FeedCatalog;
  close(): Promise<void>;
}
