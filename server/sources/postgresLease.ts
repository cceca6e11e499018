import type pg from 'pg';
import { asError } from './queryGuards.js';

export interface Lease {
  readonly client: pg.PoolClient;
  /** Set when the connection must be destroyed instead of going back to the pool. */
  broken: Error | undefined;
}

/**
 * Runs work on a pooled client and settles within deadlineMs even if the socket hangs: on expiry
 * the call rejects and the client is destroyed. A client that errored while checked out is
 * destroyed too; a healthy one goes back to the pool.
 */
export function withPooledClient<T>(
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
