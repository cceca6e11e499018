import type pg from 'pg';

/**
 * A round trip that is no transaction: a bare Sync, which the backend answers with ReadyForQuery
 * without starting one (a `SELECT 1` is a transaction, counted in pg_stat_database). Queued like
 * a query, so it never interleaves with one. Resolves when the answer came, rejects when the
 * connection failed.
 */
export function syncPing(client: pg.ClientBase): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const ping = {
      submit: (connection: pg.Connection) => connection.sync(),
      handleReadyForQuery: () => resolve(),
      handleError: (err: Error) => reject(err),
    };
    client.query(ping);
  });
}

/**
 * syncPing every periodMs; a ping still unanswered at the next tick calls onLost (a connection
 * that died silently: TCP keepalive alone takes minutes with the kernel's default probe count).
 */
export function startSyncPings(
  client: pg.ClientBase,
  periodMs: number,
  onLost: (err: Error) => void,
): NodeJS.Timeout {
  let waiting = false;
  const timer = setInterval(() => {
    if (waiting) return onLost(new Error('postgres LISTEN connection stopped answering'));
    waiting = true;
    syncPing(client).then(
      () => (waiting = false),
      (err: unknown) => onLost(err instanceof Error ? err : new Error(String(err))),
    );
  }, periodMs);
  timer.unref();
  return timer;
}
