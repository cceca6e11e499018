import type pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import type { TableRef } from './FeedCatalog.js';

/** What the stream tells its user. */
export interface LogicalStreamHandlers {
  /** A transaction that changed these tables committed; acknowledge `lsn` once they are re-read. */
  onCommit(tables: TableRef[], lsn: string): void;
  /** The server's WAL position while nothing is sent (acknowledge it when nothing is pending). */
  onKeepalive(lsn: string): void;
  /** Streaming from the slot (again): every change since the last acknowledged LSN follows. */
  onStart(): void;
  /** The replication connection failed or dropped; it is retried. */
  onError(error: Error): void;
}

export interface LogicalStreamOptions {
  url: string;
  slot: string;
  publication: string;
  /** Before each (re)connection, e.g. create the slot, free it from a dead holder. */
  beforeConnect?: () => Promise<void>;
  /** Reconnection delays (ms): doubles from the first up to the second. */
  retryMs?: [number, number];
  /** The status-update period (default 2 s); silent for three of them, the connection is replaced. */
  statusMs?: number;
}

export interface LogicalStream {
  /** Everything up to `lsn` is processed: the slot may let go of the WAL before it. */
  acknowledge(lsn: string): void;
  close(): Promise<void>;
}

/**
 * Status updates (asking for a reply) this often, so that wal_sender_timeout (60 s by default)
 * never ends us; a connection that answers nothing for three periods is presumed dead (a network
 * partition or a hung server sends no error) and replaced: the sections are warned within ~7 s.
 */
const STATUS_EVERY_MS = 2000;

/**
 * pgoutput (protocol 1, PostgreSQL 10+) from a replication slot, through pg-logical-replication.
 * It reports committed transactions as the tables they touched (insert, update, delete, truncate);
 * the row values are not used. The position is confirmed only when the user acknowledges it, so a
 * crash replays changes instead of losing them. A lost connection is retried; each new connection
 * resumes from the slot's confirmed position.
 */
export function openLogicalStream(
  options: LogicalStreamOptions,
  handlers: LogicalStreamHandlers,
): LogicalStream {
  const [firstRetryMs, maxRetryMs] = options.retryMs ?? [250, 5000];
  const statusMs = options.statusMs ?? STATUS_EVERY_MS;
  let service: LogicalReplicationService | undefined;
  let confirmed = '0/0';
  let closed = false;
  let retryMs = firstRetryMs;
  let retry: NodeJS.Timeout | undefined;
  let status: NodeJS.Timeout | undefined;
  const touched = new Map<string, TableRef>();
  /** Read through a function: close() may run while a connection is awaited. */
  const isClosed = () => closed;

  let lastHeard = Date.now();
  const send = (ping = false): void => {
    // 0/0 confirms nothing (the slot never moves back), so it is sent only as a ping.
    if (service && (ping || confirmed !== '0/0')) {
      void service.acknowledge(confirmed, ping).catch(() => undefined);
    }
  };
  /** Gives up the current connection (it answers nothing): connect() retries with a new one. */
  let abandon: ((error: Error) => void) | undefined;
  const tick = (): void => {
    if (abandon && Date.now() - lastHeard > 3 * statusMs) {
      abandon(new Error(`no answer from the server for ${3 * statusMs} ms`));
      return;
    }
    send(true);
  };

  const onData = (lsn: string, message: Pgoutput.Message): void => {
    switch (message.tag) {
      case 'begin':
        touched.clear();
        return;
      case 'insert':
      case 'update':
      case 'delete':
        touch(touched, message.relation);
        return;
      case 'truncate':
        for (const relation of message.relations) touch(touched, relation);
        return;
      case 'commit':
        if (touched.size > 0) handlers.onCommit([...touched.values()], message.commitEndLsn ?? lsn);
        else handlers.onKeepalive(message.commitEndLsn ?? lsn);
        touched.clear();
        return;
      default:
        return;
    }
  };

  const connect = async (): Promise<void> => {
    retry = undefined;
    if (closed) return;
    const current = new LogicalReplicationService(
      { connectionString: options.url, application_name: 'opsdeck-logical' },
      // Acknowledged by hand: the library's own timer would confirm positions not yet re-read.
      { acknowledge: { auto: false, timeoutSeconds: 0 } },
    );
    service = current;
    current.on('error', () => undefined); // the subscribe promise below reports it
    current.on('data', (lsn: string, message: Pgoutput.Message) => {
      lastHeard = Date.now();
      onData(lsn, message);
    });
    current.on('heartbeat', (lsn, _timestamp, shouldRespond) => {
      lastHeard = Date.now();
      handlers.onKeepalive(lsn);
      if (shouldRespond) send();
    });
    current.on('start', () => {
      lastHeard = Date.now();
      retryMs = firstRetryMs;
      handlers.onStart();
    });
    try {
      await options.beforeConnect?.();
      if (isClosed()) return;
      touched.clear();
      // 0/0: from the slot's confirmed position.
      lastHeard = Date.now();
      const dead = new Promise<never>((_, reject) => (abandon = reject));
      await Promise.race([
        current.subscribe(new Pgoutput10Plugin(options.publication), options.slot),
        dead,
      ]);
      if (!isClosed()) throw new Error('replication stream ended');
    } catch (error) {
      abandon = undefined;
      // Not awaited: ending a connection that answers nothing could wait for TCP to give up.
      destroySocket(current);
      void current.stop().catch(() => undefined);
      if (isClosed()) return;
      handlers.onError(error instanceof Error ? error : new Error(String(error)));
      retry = setTimeout(() => void connect(), retryMs);
      retryMs = Math.min(maxRetryMs, retryMs * 2);
    }
  };

  void connect();
  status = setInterval(tick, statusMs);
  status.unref();

  return {
    acknowledge(lsn) {
      if (compareLsn(lsn, confirmed) <= 0) return;
      confirmed = lsn;
      send();
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      if (status) clearInterval(status);
      status = undefined;
      send();
      const current = service;
      if (!current) return;
      // A connection that answers nothing would hold shutdown: closed hard after 2 s.
      const hard = setTimeout(() => destroySocket(current), 2000);
      await current.destroy().catch(() => undefined);
      clearTimeout(hard);
    },
  };
}

/**
 * pg-logical-replication always sends the `messages` option, which pgoutput before PostgreSQL 14
 * rejects ("unrecognized pgoutput option"); protocol 1 needs only these two.
 */
class Pgoutput10Plugin extends PgoutputPlugin {
  constructor(private readonly publication: string) {
    super({ protoVersion: 1, publicationNames: [publication] });
  }

  override start(client: pg.Client, slotName: string, lastLsn: string): Promise<unknown> {
    const name = `'${this.publication.replace(/'/g, "''")}'`;
    return client.query(
      `START_REPLICATION SLOT "${slotName}" LOGICAL ${lastLsn} (proto_version '1', publication_names ${name})`,
    );
  }
}

/** Closes the library's socket at once (pg's end() waits for the server's answer). */
function destroySocket(service: LogicalReplicationService): void {
  const internal = service as unknown as { _connection?: { stream?: { destroy(): void } } | null };
  internal._connection?.stream?.destroy();
}

function touch(map: Map<string, TableRef>, relation: Pgoutput.MessageRelation): void {
  map.set(`${relation.schema}.${relation.name}`, { schema: relation.schema, name: relation.name });
}

/** Orders two LSNs (`16/B374D848`): negative, zero or positive. */
export function compareLsn(a: string, b: string): number {
  const value = (lsn: string) => {
    const [hi = '0', lo = '0'] = lsn.split('/');
    return BigInt(`0x${hi}`) * 2n ** 32n + BigInt(`0x${lo}`);
  };
  const d = value(a) - value(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
