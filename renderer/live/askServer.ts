/**
 * The push client's questions to the server: an event with an answer (an acknowledgement) on the
 * live connection, within a time limit, and the ping that measures the round trip and the clock
 * offset.
 */
import type { PingAck } from '../../common/protocol.js';
import type { OpsdeckSocket } from './opsdeckSocket.js';

/** How long an answer may take, unless the question says otherwise. */
export const ACK_TIMEOUT_MS = 5000;

/**
 * `ask`'s answer on `socket` when the connection is live (`connected`: the handshake is done);
 * rejects in words when there is no live connection or no answer in time.
 */
export async function askServer<Ack>(
  socket: OpsdeckSocket | undefined,
  connected: boolean,
  ask: (socket: OpsdeckSocket) => Promise<unknown>,
): Promise<Ack> {
  if (!socket?.connected || !connected) throw new Error('not connected to the server');
  try {
    return (await ask(socket)) as Ack;
  } catch {
    throw new Error('the server did not answer in time');
  }
}

/**
 * One ping: the round trip and how far the server's clock is ahead of `now` (half the round trip
 * assumed each way); undefined when it is refused or lost (a lost ping shows up as a disconnect
 * soon enough).
 */
export async function measureRoundTrip(
  socket: OpsdeckSocket,
  now: () => number,
): Promise<{ rttMs: number; clockOffsetMs: number } | undefined> {
  const sent = now();
  try {
    const ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('ping')) as PingAck;
    if (!ack.ok) return undefined;
    const rttMs = now() - sent;
    return { rttMs, clockOffsetMs: ack.serverTime - (sent + rttMs / 2) };
  } catch {
    return undefined;
  }
}
