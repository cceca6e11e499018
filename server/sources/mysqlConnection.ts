import type { Pool, PoolConnection, RowDataPacket } from 'mysql2';
import { asError } from './queryGuards.js';

/** Pooled connections with a hard deadline, and promises over mysql2's callback API. */

export interface Lease {
  readonly conn: PoolConnection;
  /** Set when the connection must be destroyed instead of going back to the pool. */
  broken: boolean;
}

/**
 * Runs work on a pooled connection and settles within deadlineMs even if the socket hangs: on
 * expiry the call rejects and the connection is destroyed. A connection that failed fatally is
 * destroyed too; a healthy one goes back to the pool.
 */
export function withPooledConnection<T>(
  pool: Pool,
  deadlineMs: number,
  what: string,
  work: (lease: Lease) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let lease: Lease | undefined;
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new Error(`${what} timed out after ${deadlineMs} ms`));
      lease?.conn.destroy();
    }, deadlineMs);

    pool.getConnection((connectError, conn) => {
      if (connectError) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        return reject(connectError);
      }
      if (settled) return conn.release(); // deadline passed while waiting for the pool
      const current: Lease = { conn, broken: false };
      lease = current;
      const finish = (outcome: () => void): void => {
        if (settled) return; // the timer already rejected and destroyed the connection
        settled = true;
        clearTimeout(timer);
        if (current.broken || isDead(conn)) conn.destroy();
        else conn.release();
        outcome();
      };
      work(current).then(
        (value) => finish(() => resolve(value)),
        (err: unknown) => finish(() => reject(asError(err))),
      );
    });
  });
}

function isDead(conn: PoolConnection): boolean {
  return conn.state === 'error' || conn.state === 'disconnected';
}

/** Runs a statement whose result does not matter. */
export async function run(conn: PoolConnection, sql: string): Promise<void> {
  await settle((done) => conn.query(sql, (err) => done(err, undefined)));
}

/** Runs a query and returns its rows, all of them (for small internal queries only). */
export function rowsOf(conn: PoolConnection, sql: string): Promise<RowDataPacket[]> {
  return settle((done) => conn.query<RowDataPacket[]>(sql, (err, rows) => done(err, rows)));
}

/** Adapts mysql2's callback API (its promise wrapper hides the core connection we stream from). */
export function settle<T>(
  start: (done: (err: Error | null, value: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((err, value) => (err ? reject(err) : resolve(value)));
  });
}
