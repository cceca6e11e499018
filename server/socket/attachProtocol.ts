import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
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
import {
  describeIssues,
  subscribeRequestSchema,
  unsubscribeRequestSchema,
} from '../../common/schemas.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics/Metrics.js';
import { TokenBucket } from './TokenBucket.js';

/** Events between the server processes of a cluster (through the Redis adapter). */
export interface InterServerEvents {
  'opsdeck:snapshot': (update: SectionUpdate) => void;
  'opsdeck:status': (status: SectionStatus) => void;
}

export type OpsdeckIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents>;
type OpsdeckSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents>;

/** What the protocol needs to know of sections: answered from memory, never from the database. */
export interface SectionDirectory {
  has(id: string): boolean;
  snapshot(id: string): SectionUpdate | undefined;
  status(id: string): SectionStatus | undefined;
}

export interface ProtocolDeps {
  engine: SectionDirectory;
  catalog: () => CatalogBody;
  metrics: Metrics;
  log: Logger;
  rateLimit?: { burst: number; perSecond: number };
}

/**
 * The server's side of each client event: the payload as received (each handler validates it) and
 * the acknowledgement, typed by ClientToServerEvents. A missing handler, an event outside the
 * protocol or an answer of the wrong shape fails to compile (test/types/protocol.typetest.ts).
 */
export type ProtocolHandlers = {
  [E in ClientEventName]: (payload: unknown, reply: AckReply<E>) => void;
};

/** Any event's acknowledgement: what the wrapper passes on, and what it answers errors with. */
type AnyReply = (response: { [E in ClientEventName]: AckResponse<E> }[ClientEventName]) => void;
type ErrorReply = (response: AckError) => void;

/**
 * The client events of docs/socketio.md. Every handler validates its payload, answers through
 * the acknowledgement, and never throws: a malformed event gets `bad_request`, never a disconnect.
 */
export function attachProtocol(io: OpsdeckIo, deps: ProtocolDeps): void {
  io.on('connection', (socket: OpsdeckSocket) => {
    deps.metrics.connectedClients.inc();
    const bucket = new TokenBucket(deps.rateLimit?.burst ?? 40, deps.rateLimit?.perSecond ?? 20);
    const mine = new Set<string>();

    const fail = (reply: ErrorReply, code: ErrorCode, message: string): void => {
      deps.metrics.rejectedEvents.inc({ code });
      reply({ ok: false, error: { code, message } });
    };

    /** Wraps a handler: finds the ack, applies the rate limit, catches everything. */
    const on = (event: ClientEventName, handlers: ProtocolHandlers): void => {
      socket.on(event, (...args: unknown[]) => {
        const last = args[args.length - 1];
        // Without an acknowledgement there is nobody to answer; the event is ignored.
        if (typeof last !== 'function') return;
        let answered = false;
        const reply: AnyReply = (response) => {
          if (answered) return;
          answered = true;
          (last as AnyReply)(response);
        };
        if (!bucket.take()) return fail(reply, 'rate_limited', 'too many events; slow down');
        try {
          handlers[event](args.length > 1 ? args[0] : undefined, reply);
        } catch (error) {
          deps.log.error({ err: error, event }, 'protocol handler failed');
          fail(reply, 'internal', 'internal error');
        }
      });
    };

    const handlers: ProtocolHandlers = {
      catalog: (_payload, reply) => reply({ ok: true, ...deps.catalog() }),

      ping: (_payload, reply) => reply({ ok: true, serverTime: Date.now() }),

      subscribe: (payload, reply) => {
        const request = parse(subscribeRequestSchema, payload);
        if (!request.ok) return fail(reply, 'bad_request', request.message);
        const ids = [...new Set(request.value.sections)];
        const unknown = ids.filter((id) => !deps.engine.has(id));
        if (unknown.length > 0) {
          return fail(reply, 'unknown_section', `unknown section: ${unknown.join(', ')}`);
        }
        for (const id of ids) {
          if (!mine.has(id)) {
            mine.add(id);
            void socket.join(sectionRoom(id));
          }
        }
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
          const status = deps.engine.status(id);
          if (status && (!status.healthy || status.warning)) {
            socket.emit('section-status', status);
            deps.metrics.messagesSent.inc();
          }
        }
      },

      unsubscribe: (payload, reply) => {
        const request = parse(unsubscribeRequestSchema, payload);
        if (!request.ok) return fail(reply, 'bad_request', request.message);
        const unknown = request.value.sections.filter((id) => !deps.engine.has(id));
        if (unknown.length > 0) {
          return fail(reply, 'unknown_section', `unknown section: ${unknown.join(', ')}`);
        }
        for (const id of request.value.sections) {
          if (mine.delete(id)) void socket.leave(sectionRoom(id));
        }
        reply({ ok: true });
      },
    };
    for (const event of Object.keys(handlers) as ClientEventName[]) on(event, handlers);

    // Events outside the protocol: answered (when they carry an ack) rather than silently dropped.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && Object.hasOwn(handlers, event)) return;
      const last = args[args.length - 1];
      if (typeof last !== 'function') return;
      const reply = last as ErrorReply;
      if (!bucket.take()) return fail(reply, 'rate_limited', 'too many events; slow down');
      fail(reply, 'bad_request', `unknown event: ${String(event).slice(0, 64)}`);
    });

    socket.on('disconnect', () => {
      deps.metrics.connectedClients.dec();
    });
  });
}

function parse<T>(
  schema: z.ZodType<T>,
  payload: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: describeIssues(result.error, 'payload').join('; ') };
}
