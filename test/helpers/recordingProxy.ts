/**
 * A loopback proxy in front of PostgreSQL that decodes the protocol messages passing through, to
 * count round trips: what the frontend sent (per connection) and the ReadyForQuery answers.
 */
import { createServer, connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';

export interface SentMessage {
  /** The message type letter. */
  type: string;
  /** The connection's number, in the order connections were opened (from 0). */
  conn: number;
  /** For Query and Parse: the SQL text. */
  sql?: string;
  /** For Execute: the row limit (0: all). */
  rows?: number;
}

export interface Wire {
  sent: SentMessage[];
  /** ReadyForQuery messages the backend sent after start-up: completed round trips. */
  ready: number;
  /** The application_name each connection gave at start-up, by connection number. */
  apps: (string | undefined)[];
}

export interface RecordingProxy {
  wire: Wire;
  port: number;
  /** The URL through the proxy for a database URL on the proxied port. */
  url(databaseUrl: string): string;
  /** Forgets what was recorded so far. */
  reset(): void;
  close(): Promise<void>;
}

export async function recordingProxy(port: number): Promise<RecordingProxy> {
  const wire: Wire = { sent: [], ready: 0, apps: [] };
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    const conn = connections++;
    const upstream = tcpConnect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => (client.destroy(), upstream.destroy());
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    let startup = true;
    client.on(
      'data',
      messages(true, (type, body) => {
        if (startup) {
          startup = false;
          const params = body.subarray(4).toString('utf8').split('\u0000');
          const at = params.indexOf('application_name');
          wire.apps[conn] = at >= 0 ? params[at + 1] : undefined;
          return;
        }
        const message: SentMessage = { type, conn };
        if (type === 'Q') message.sql = cstring(body, 0);
        if (type === 'P') message.sql = cstring(body, body.indexOf(0) + 1);
        if (type === 'E') message.rows = body.readInt32BE(body.indexOf(0) + 1);
        wire.sent.push(message);
      }),
    );
    let started = false;
    upstream.on(
      'data',
      messages(false, (type) => {
        if (type !== 'Z') return;
        if (started) wire.ready += 1;
        started = true;
      }),
    );
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxyPort = (server.address() as AddressInfo).port;
  return {
    wire,
    port: proxyPort,
    url(databaseUrl) {
      const url = new URL(databaseUrl);
      url.host = `127.0.0.1:${proxyPort}`;
      return url.toString();
    },
    reset() {
      wire.sent.length = 0;
      wire.ready = 0;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Splits a byte stream into messages; the frontend's first (start-up) message has no type. */
function messages(untypedFirst: boolean, each: (type: string, body: Buffer) => void) {
  let pending = Buffer.alloc(0);
  let first = untypedFirst;
  return (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const head = first ? 0 : 1;
      if (pending.length < head + 4) return;
      const length = pending.readUInt32BE(head);
      if (pending.length < head + length) return;
      each(
        first ? '' : String.fromCharCode(pending[0] ?? 0),
        pending.subarray(head + 4, head + length),
      );
      pending = pending.subarray(head + length);
      first = false;
    }
  };
}

const cstring = (body: Buffer, from: number) => body.toString('utf8', from, body.indexOf(0, from));
