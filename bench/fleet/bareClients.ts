/**
 * The bare baselines' clients (a Socket.IO client and a `ws` client): every message is
 * `{ id, sentAt }` (plus padding), recorded as a fan-out receipt.
 */
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { now } from '../lib/clock.js';
import { rawText } from '../lib/rawText.js';
import type { ConnectArgs } from './protocol.js';
import { addClient, counts, recordFanout } from './state.js';

/** A bare baseline server's message: `{ id, sentAt, pad }`. */
interface BarePayload {
  id: number;
  sentAt: number;
}

interface BareEvents {
  payload: (payload: BarePayload, at: number) => void;
  open: () => void;
  close: () => void;
  error: (error: Error) => void;
}

/**
 * Registers a bare baseline client and wires its socket's events (`listen` maps them onto
 * BareEvents); settles once the socket opens or fails to.
 */
function connectBare(
  args: ConnectArgs,
  close: () => void,
  listen: (on: BareEvents) => void,
): Promise<void> {
  const client = addClient(args.group ?? 'default', close);
  return new Promise<void>((resolve, reject) => {
    listen({
      payload: (payload, at) => {
        counts.updates += 1;
        recordFanout(payload.id, payload.sentAt, at);
      },
      close: () => {
        if (client.connected) counts.connected -= 1;
        client.connected = false;
      },
      open: () => {
        client.connected = true;
        counts.connected += 1;
        resolve();
      },
      error: (error) => {
        counts.connectErrors += 1;
        reject(error);
      },
    });
  });
}

export function connectSio(args: ConnectArgs, timeoutMs: number): Promise<void> {
  const socket = io(args.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: timeoutMs,
  });
  return connectBare(
    args,
    () => socket.close(),
    (on) => {
      socket.on('update', (payload: BarePayload) => on.payload(payload, now()));
      socket.on('disconnect', on.close);
      socket.once('connect', on.open);
      socket.once('connect_error', on.error);
    },
  );
}

export function connectWs(args: ConnectArgs, timeoutMs: number): Promise<void> {
  const socket = new WebSocket(`${args.url.replace(/^http/, 'ws')}/ws`, {
    handshakeTimeout: timeoutMs,
    perMessageDeflate: false,
  });
  return connectBare(
    args,
    () => socket.close(),
    (on) => {
      socket.on('message', (data: WebSocket.RawData) => {
        const at = now();
        on.payload(JSON.parse(rawText(data)) as BarePayload, at);
      });
      socket.on('close', on.close);
      socket.once('open', on.open);
      socket.once('error', on.error);
    },
  );
}
