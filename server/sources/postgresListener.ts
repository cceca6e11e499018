import pg from 'pg';
import type { ListenHandlers } from './DataSource.js';
import { startSyncPings } from './postgresSyncPing.js';
import { asError } from './queryGuards.js';

const LISTEN_BACKOFF_MIN_MS = 250;
const LISTEN_BACKOFF_MAX_MS = 10_000;
/**
 * A LISTEN connection can die silently (NAT, failover). No query notices it (each would be a
 * transaction on the database): TCP keepalive probes start after this much silence, and the kernel
 * reports a dead peer as a socket error, which reaches the client's 'error' event; with Linux's
 * default probes (9 x 75 s) that takes minutes, so a protocol-level ping that is no transaction
 * (a bare Sync, postgresSyncPing) runs at the same period.
 */
const LISTEN_KEEPALIVE_IDLE_MS = 15_000;

export interface RunningListener {
  /** Settles after the first connection attempt, whatever its outcome. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps one dedicated connection LISTENing on channel. When it fails: onError, reconnect with
 * exponential backoff and jitter, re-LISTEN, then onResync (notifications may have been missed).
 * A first connection that succeeds at once does not call onResync: the caller runs everything at
 * start anyway.
 * connectTimeoutMs bounds each connection attempt (TCP connect + authentication).
 */
export function startListener(
  url: string,
  channel: string,
  handlers: ListenHandlers,
  connectTimeoutMs: number,
  pingMs = LISTEN_KEEPALIVE_IDLE_MS,
): RunningListener {
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;
  let everListened = false;
  let everFailed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let pings: NodeJS.Timeout | undefined;

  // Called for every way a connection can end; `client` tells whether it is still the current one.
  function lost(c: pg.Client, err: Error): void {
    if (c !== client) return;
    client = undefined;
    clearInterval(pings);
    c.end().catch(() => undefined);
    if (closed) return;
    everFailed = true;
    handlers.onError(err);
    const delay = Math.min(LISTEN_BACKOFF_MAX_MS, LISTEN_BACKOFF_MIN_MS * 2 ** failures);
    failures += 1;
    // Jitter spreads the reconnects of many servers after a database restart.
    retryTimer = setTimeout(() => void connect(), delay / 2 + Math.random() * (delay / 2));
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: LISTEN_KEEPALIVE_IDLE_MS,
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
    pings = startSyncPings(c, pingMs, (err) => lost(c, err));
    // After a loss, or a first attempt that failed (onError was called): the reads made
    // meanwhile may have missed changes.
    if (everListened || everFailed) handlers.onResync();
    everListened = true;
  }

  return {
    ready: connect(),
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      clearInterval(pings);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
