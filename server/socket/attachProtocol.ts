import type { Server, Socket } from 'socket.io';
import type { AlertEvent } from '../../common/alerts.js';
import type { ClientInfo, NodeClients } from '../../common/clients.js';
import type {
  AckError,
  AckReply,
  AckResponse,
  CatalogBody,
  ClientEventName,
  ClientToServerEvents,
  ErrorCode,
  SectionStatus,
  SectionUpdate,
  ServerToClientEvents,
} from '../../common/protocol.js';
import { sectionRoom } from '../../common/protocol.js';
import { subscribeRequestSchema, unsubscribeRequestSchema } from '../../common/schemas.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics/Metrics.js';
import type { ClientsHandler } from './clientsListHandler.js';
import type { NodeSlice } from './clientsListPaging.js';
import { noteHeld } from './heldVersions.js';
import { parsePayload } from './parsePayload.js';
import { TokenBucket } from './TokenBucket.js';
import { verifyHandler } from './verifyHandler.js';

/** Events between the server processes of a cluster (through the Redis adapter). */
export interface InterServerEvents {
  'opsdeck:snapshot': (update: SectionUpdate) => void;
  'opsdeck:status': (status: SectionStatus) => void;
  /** An alert's state change decided by the leader (server/alerts/AlertService.ts). */
  'opsdeck:alert': (event: AlertEvent) => void;
  /** The leader's firing alerts, repeated: a node that joined or missed a message catches up. */
  'opsdeck:alerts': (firing: AlertEvent[]) => void;
  /** The clients list's rounds (server/socket/clientsList.ts): each node's count, then its slice. */
  'opsdeck:clients-count': (ack: (count: NodeClients) => void) => void;
  'opsdeck:clients-page': (
    slices: Record<string, NodeSlice>,
    ack: (clients: ClientInfo[]) => void,
  ) => void;
}

export type OpsdeckIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents>;
type OpsdeckSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents>;

/** What the protocol needs to know of sections: answered from memory, never from the database. */
export interface SectionDirectory {
  has(id: string): boolean;
  snapshot(id: string): SectionUpdate | undefined;
  status(id: string): SectionStatus | undefined;
  /** The newest version of a section broadcast to its room so far (0: none). */
  broadcastVersion(id: string): number;
}

export interface ProtocolDeps {
  engine: SectionDirectory;
  catalog: () => CatalogBody;
  metrics: Metrics;
  log: Logger;
  rateLimit?: { burst: number; perSecond: number };
  /** The `clients` event (server/socket/clientsListHandler.ts); without it, `internal`. */
  clients?: ClientsHandler;
}

/**
 * The server's side of each client event: the payload as received (each handler validates it),
 * the acknowledgement, typed by ClientToServerEvents, and the socket. A missing handler, an event
 * outside the protocol or an answer of the wrong shape fails to compile
 * (test/types/protocol.typetest.ts).
 */
export type ProtocolHandlers = {
  [E in ClientEventName]: (payload: unknown, reply: AckReply<E>, socket: OpsdeckSocket) => void;
};

/** Any event's acknowledgement: what the wrapper passes on, and what it answers errors with. */
type AnyReply = (response: { [E in ClientEventName]: AckResponse<E> }[ClientEventName]) => void;
type ErrorReply = (response: AckError) => void;

/**
 * The client events of docs/socketio.md. Every handler validates its payload, answers through
 * the acknowledgement, and never throws: a malformed event gets `bad_request`, never a disconnect.
 *
 * Nothing is created per connection: the handlers, the one listener every socket shares (it gets
 * the socket as `this`) and the rate limiter (one number per socket, once it sends an event) are
 * the server's; a socket's sections are its rooms. Thousands of idle dashboards cost only what
 * Socket.IO itself keeps for them.
 */
export function attachProtocol(io: OpsdeckIo, deps: ProtocolDeps): void {
  const bucket = new TokenBucket(deps.rateLimit?.burst ?? 40, deps.rateLimit?.perSecond ?? 20);
  const fail = (reply: ErrorReply, code: ErrorCode, message: string): void => {
    deps.metrics.rejectedEvents.inc({ code });
    reply({ ok: false, error: { code, message } });
  };
  const handlers = protocolHandlers(deps, fail);

  /** Every event of every socket: finds the ack, applies the rate limit, catches everything. */
  function onEvent(this: OpsdeckSocket, event: unknown, ...args: unknown[]): void {
    const last = args[args.length - 1];
    // Without an acknowledgement there is nobody to answer; the event is ignored.
    if (typeof last !== 'function') return;
    let answered = false;
    const reply: AnyReply = (response) => {
      if (answered) return;
      answered = true;
      (last as AnyReply)(response);
    };
    if (!bucket.take(this)) return fail(reply, 'rate_limited', 'too many events; slow down');
    if (typeof event !== 'string' || !Object.hasOwn(handlers, event)) {
      // Events outside the protocol: answered rather than silently dropped.
      return fail(reply, 'bad_request', `unknown event: ${String(event).slice(0, 64)}`);
    }
    const name = event as ClientEventName;
    try {
      handlers[name](args.length > 1 ? args[0] : undefined, reply, this);
    } catch (error) {
      deps.log.error({ err: error, event: name }, 'protocol handler failed');
      fail(reply, 'internal', 'internal error');
    }
  }
  function onDisconnect(): void {
    deps.metrics.connectedClients.dec();
  }

  io.on('connection', (socket: OpsdeckSocket) => {
    deps.metrics.connectedClients.inc();
    socket.onAny(onEvent);
    socket.on('disconnect', onDisconnect);
  });
}

function protocolHandlers(
  deps: ProtocolDeps,
  fail: (reply: ErrorReply, code: ErrorCode, message: string) => void,
): ProtocolHandlers {
  return {
    catalog: (_payload, reply) => reply({ ok: true, ...deps.catalog() }),

    ping: (_payload, reply) => reply({ ok: true, serverTime: Date.now() }),

    subscribe: (payload, reply, socket) => {
      const request = parsePayload(subscribeRequestSchema, payload);
      if (!request.ok) return fail(reply, 'bad_request', request.message);
      const ids = [...new Set(request.value.sections)];
      const unknown = ids.filter((id) => !deps.engine.has(id));
      if (unknown.length > 0) {
        return fail(reply, 'unknown_section', `unknown section: ${unknown.join(', ')}`);
      }
      const rooms = ids.map(sectionRoom).filter((room) => !socket.rooms.has(room));
      if (rooms.length > 0) void socket.join(rooms);
      reply({ ok: true, sections: ids });
      // Straight from memory: subscribing never causes a database query.
      for (const id of ids) {
        const snapshot = deps.engine.snapshot(id);
        const have = request.value.have?.[id];
        // Versions only go up: a client that holds a newer one (it came from a node that is
        // ahead of this one) is never sent older rows.
        if (snapshot && (have === undefined || have < snapshot.version)) {
          socket.emit('update', snapshot);
          deps.metrics.messagesSent.inc();
        }
        // A broadcast of a version it holds (sent just now while that version's broadcast is
        // still to come, or got elsewhere) must skip it. Noted only then: an idle connection
        // keeps nothing of its own for this.
        const holds = Math.max(have ?? 0, snapshot?.version ?? 0);
        if (holds > deps.engine.broadcastVersion(id)) noteHeld(socket, id, holds);
        const status = deps.engine.status(id);
        if (status && (!status.healthy || status.warning)) {
          socket.emit('section-status', status);
          deps.metrics.messagesSent.inc();
        }
      }
    },

    verify: verifyHandler(deps.engine, fail),

    clients: (payload, reply, socket) =>
      deps.clients
        ? deps.clients(payload, reply, socket, fail)
        : fail(reply, 'internal', 'the clients list is not available'),

    unsubscribe: (payload, reply, socket) => {
      const request = parsePayload(unsubscribeRequestSchema, payload);
      if (!request.ok) return fail(reply, 'bad_request', request.message);
      const unknown = request.value.sections.filter((id) => !deps.engine.has(id));
      if (unknown.length > 0) {
        return fail(reply, 'unknown_section', `unknown section: ${unknown.join(', ')}`);
      }
      for (const id of request.value.sections) void socket.leave(sectionRoom(id));
      reply({ ok: true });
    },
  };
}
