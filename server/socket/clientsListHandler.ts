import type { AckError, AckReply, ErrorCode } from '../../common/protocol.js';
import { clientsRequestSchema } from '../../common/schemas.js';
import { parsePayload } from './parsePayload.js';
import type { Logger } from '../log.js';
import type { ClientsList } from './clientsList.js';
import { TokenBucket } from './TokenBucket.js';

export type FailReply = (
  reply: (response: AckError) => void,
  code: ErrorCode,
  message: string,
) => void;

/** The `clients` event's handler, given attachProtocol's `fail` (it counts rejections). */
export type ClientsHandler = (
  payload: unknown,
  reply: AckReply<'clients'>,
  socket: object,
  fail: FailReply,
) => void;

/**
 * Validates a `clients` request (no payload reads as `{}`), holds each socket to its own, tighter
 * rate (a list may ask every node of a cluster, twice): `burst` at once, `perSecond` after.
 */
export function clientsHandler(
  list: ClientsList,
  log: Logger,
  rate: { burst: number; perSecond: number } = { burst: 5, perSecond: 1 },
): ClientsHandler {
  const bucket = new TokenBucket(rate.burst, rate.perSecond);
  return (payload, reply, socket, fail) => {
    const request = parsePayload(clientsRequestSchema, payload ?? {});
    if (!request.ok) return fail(reply, 'bad_request', request.message);
    if (!bucket.take(socket)) {
      return fail(reply, 'rate_limited', 'too many clients lists; at most one a second');
    }
    list.list(request.value).then(
      (body) => reply({ ok: true, ...body }),
      (error: unknown) => {
        log.error({ err: error }, 'clients list failed');
        fail(reply, 'internal', 'internal error');
      },
    );
  };
}
