/** A stock socket.io-client speaking the Opsdeck protocol: subscribe (with `have`), record updates. */
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  SectionUpdate,
  ServerToClientEvents,
  SubscribeAck,
} from '../../common/protocol.js';
import { now } from '../lib/clock.js';
import { markersIn } from '../lib/salesDb.js';
import type { ConnectArgs } from './protocol.js';
import { addClient, counts, recordFanout, recordMarker, type Client } from './state.js';

type OpsdeckSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function onUpdate(client: Client, update: SectionUpdate, at: number): void {
  counts.updates += 1;
  client.latest.set(update.section, { version: update.version, at });
  if (client.arrivals) {
    client.arrivals.sections.push(update.section);
    client.arrivals.times.push(at);
  }
  if (update.section === 'recent') {
    const found = markersIn(update.rows, client.lastMarker);
    for (const seq of found) {
      recordMarker(client.group, seq, at);
      if (seq > client.lastMarker) client.lastMarker = seq;
    }
  } else if (update.section === 'fanout') {
    const tick = Number(update.rows[0]?.['tick']);
    if (Number.isFinite(tick)) recordFanout(tick, Date.parse(update.queriedAt), at);
  }
}

/** Connects, subscribes to `args.sections` on every (re)connect; settles on the first ack. */
export function connectOpsdeck(args: ConnectArgs, timeoutMs: number): Promise<void> {
  const group = args.group ?? 'default';
  const sections = args.sections ?? [];
  const socket: OpsdeckSocket = io(args.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: args.reconnect ?? false,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    timeout: timeoutMs,
  });
  const client = addClient(group, () => socket.close());
  if (args.recordArrivals) client.arrivals = { sections: [], times: [] };
  socket.on('update', (update) => onUpdate(client, update, now()));
  let everConnected = false;
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no subscribe ack in time')), timeoutMs);
    socket.on('connect', () => {
      if (everConnected) counts.reconnects += 1;
      everConnected = true;
      if (sections.length === 0) {
        client.connected = true;
        counts.connected += 1;
        clearTimeout(timer);
        resolve();
        return;
      }
      const have: Record<string, number> = {};
      for (const [id, v] of client.latest) have[id] = v.version;
      socket
        .timeout(30_000)
        .emitWithAck('subscribe', { sections, ...(client.latest.size > 0 ? { have } : {}) })
        .then((ack: SubscribeAck) => {
          if (!ack.ok) throw new Error(`subscribe refused: ${ack.error.message}`);
          if (!client.connected) counts.connected += 1;
          client.connected = true;
          clearTimeout(timer);
          resolve();
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
    socket.on('disconnect', () => {
      if (client.connected) counts.connected -= 1;
      client.connected = false;
    });
    socket.on('connect_error', (error) => {
      counts.connectErrors += 1;
      if (!(args.reconnect ?? false)) {
        clearTimeout(timer);
        reject(error);
      }
    });
  });
}
