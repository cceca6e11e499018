import type pg from 'pg';
import { asError } from './queryGuards.js';

export interface Lease {
  readonly client: pg.PoolClient;
  /** Set when the connection must be destroyed instead of going back to the pool. */
  broken: Error | undefined;
}

/**
 * Runs work on a pooled client and settles within deadlineMs even if the socket hangs: on expiry
 * the call rejects and the client is destroyed. With `silenceMs`, it also gives up once the
 * checked-out connection has received nothing for that long: a server that stopped answering
 * (hung, SIGSTOP) is found within the statement timeout plus a margin, not only after the whole
 * deadline of a batch of statements. A client that errored while checked out is destroyed too; a
 * healthy one goes back to the pool.
 */
export function withPooledClient<T>(
  pool: pg.Pool,
  deadlineMs: number,
  what: string,
  work: (lease: Lease) => Promise<T>,
  silenceMs?: number,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let lease: Lease | undefined;
    let settled = false;
    const startedAt = Date.now();
    let heardAt: number | undefined; // set once a client is checked out
    const expire = (error: Error): void => {
      settled = true;
      reject(error);
      if (lease) {
        lease.broken ??= error;
        lease.client.release(lease.broken);
      }
    };
    const check = (): void => {
      const now = Date.now();
      const deadlineLeft = startedAt + deadlineMs - now;
      if (deadlineLeft <= 0) return expire(new Error(`${what} timed out after ${deadlineMs} ms`));
      if (silenceMs !== undefined && heardAt !== undefined && now - heardAt >= silenceMs) {
        return expire(new Error(`${what}: the database sent nothing for ${silenceMs} ms`));
      }
      const silenceLeft =
        silenceMs !== undefined && heardAt !== undefined ? heardAt + silenceMs - now : Infinity;
      timer = setTimeout(check, Math.min(deadlineLeft, silenceLeft));
    };
    let timer = setTimeout(check, deadlineMs);

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
        // Any bytes from the server prove it is alive (the pool's client is a pg.Client).
        const stream = (client as unknown as pg.Client).connection.stream;
        const onData = (): void => {
          heardAt = Date.now();
        };
        if (silenceMs !== undefined) {
          heardAt = Date.now();
          stream.on('data', onData);
          clearTimeout(timer);
          check();
        }
        const finish = (outcome: () => void): void => {
          stream.off('data', onData);
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
