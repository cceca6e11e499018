import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpsdeckIo } from './attachProtocol.js';

/**
 * Largest frame a client may send (docs/socketio.md): one WebSocket message, or one HTTP
 * long-polling POST body. The protocol's requests are a few hundred bytes; the largest valid one, a
 * subscribe of the most sections allowed with `have`, is some 25 KB. Below the limit a malformed
 * payload is answered (`bad_request`) and the connection stays; above it engine.io refuses the frame.
 */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/** What engine.io says when `ws` refuses a message over `maxPayload` (the transport error's text). */
const WS_TOO_LARGE = 'Max payload size exceeded';

/** The parts of an engine.io connection read here (engine.io's typings are not a dependency). */
interface EngineConnection {
  once(event: 'close', listener: (reason: string, description?: unknown) => void): unknown;
  close(): void;
}

interface EngineServer {
  on(event: 'connection', listener: (connection: EngineConnection) => void): unknown;
  use(middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): void;
}

/**
 * Makes an oversized frame close its connection, on either transport, and counts it:
 * - WebSocket: `ws` refuses the message and closes the socket (1009); engine.io reports a
 *   transport error, counted here when its cause is the size.
 * - Long-polling: engine.io answers the POST 413 but leaves the session open until its ping times
 *   out; here the session is closed at once, so the client reconnects instead of waiting.
 */
export function enforceFrameLimit(io: OpsdeckIo, counted: (transport: string) => void): void {
  const engine = io.engine as unknown as EngineServer;
  // engine.io documents `clients` (sessions by id) as public; its typings mark it protected.
  const sessions = (): Record<string, EngineConnection | undefined> =>
    (io.engine as unknown as { clients: Record<string, EngineConnection | undefined> }).clients;

  function onClose(reason: string, description?: unknown): void {
    if (reason === 'transport error' && String(description).includes(WS_TOO_LARGE))
      counted('websocket');
  }
  engine.on('connection', (connection) => connection.once('close', onClose));

  engine.use((req, res, next) => {
    if (req.method === 'POST') res.once('finish', () => onPollingAnswered(req, res));
    next();
  });
  function onPollingAnswered(req: IncomingMessage, res: ServerResponse): void {
    if (res.statusCode !== 413) return;
    counted('polling');
    const sid = new URL(req.url ?? '/', 'http://localhost').searchParams.get('sid');
    if (sid && Object.hasOwn(sessions(), sid)) sessions()[sid]?.close();
  }
}
