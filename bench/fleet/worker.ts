/**
 * A client-fleet process: holds thousands of Socket.IO / ws clients or HTTP pollers for the
 * benchmark and records when each message arrived. Controlled over IPC (protocol.ts). Receipt
 * times use clock.now(), comparable across the processes of one machine.
 */
import http from 'node:http';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type {
  ClientToServerEvents,
  SectionUpdate,
  ServerToClientEvents,
  SubscribeAck,
} from '../../common/protocol.js';
import { now } from '../lib/clock.js';
import { markersIn } from '../lib/salesDb.js';
import type {
  ConnectArgs,
  ConnectResult,
  Counts,
  Envelope,
  FanoutReceipt,
  HttpOnceResult,
  MarkerReceipts,
  PollerArgs,
  Reply,
  Request,
  ResyncResult,
} from './protocol.js';
import { zeroCounts } from './protocol.js';

type OpsdeckSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Client {
  group: string;
  close: () => void;
  connected: boolean;
  /** Highest marker seen (markers only grow). */
  lastMarker: number;
  /** Latest version of each section and when it arrived. */
  latest: Map<string, { version: number; at: number }>;
}

/** A bare baseline server's message: `{ id, sentAt, pad }`. */
interface BarePayload {
  id: number;
  sentAt: number;
}

const clients: Client[] = [];
const markers: MarkerReceipts = new Map();
const fanout = new Map<number, FanoutReceipt>();
const counts: Counts = zeroCounts();
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
let pollers: { stop: () => void }[] = [];

function recordMarker(group: string, seq: number, at: number): void {
  let byGroup = markers.get(group);
  if (!byGroup) markers.set(group, (byGroup = new Map<number, number[]>()));
  let times = byGroup.get(seq);
  if (!times) byGroup.set(seq, (times = []));
  times.push(at);
}

function recordFanout(id: number, sentAt: number, at: number): void {
  let entry = fanout.get(id);
  if (!entry) fanout.set(id, (entry = { sentAt, recv: [] }));
  entry.recv.push(at);
}

function onUpdate(client: Client, update: SectionUpdate, at: number): void {
  counts.updates += 1;
  client.latest.set(update.section, { version: update.version, at });
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

/** A new client of `group`, counted and kept for closeAll; `close` closes its socket. */
function addClient(group: string, close: () => void): Client {
  const client: Client = { group, connected: false, lastMarker: 0, latest: new Map(), close };
  clients.push(client);
  counts.clients += 1;
  return client;
}

function connectOpsdeck(args: ConnectArgs, timeoutMs: number): Promise<void> {
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

/** A bare baseline client: a payload is `{ id, sentAt }`, recorded as a fan-out receipt. */
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

function connectSio(args: ConnectArgs, timeoutMs: number): Promise<void> {
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

function connectWs(args: ConnectArgs, timeoutMs: number): Promise<void> {
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

function rawText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

async function connect(args: ConnectArgs): Promise<ConnectResult> {
  const started = now();
  const timeoutMs = args.timeoutMs ?? 30_000;
  const concurrency = Math.max(1, args.concurrency ?? 100);
  let next = 0;
  let connected = 0;
  let failed = 0;
  let firstError: string | undefined;
  const one = (): Promise<void> => {
    switch (args.kind) {
      case 'opsdeck':
        return connectOpsdeck(args, timeoutMs);
      case 'sio':
        return connectSio(args, timeoutMs);
      case 'ws':
        return connectWs(args, timeoutMs);
    }
  };
  const lane = async (): Promise<void> => {
    while (next < args.count) {
      next += 1;
      try {
        await one();
        connected += 1;
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, args.count) }, lane));
  return { connected, failed, firstError, ms: now() - started };
}

function closeAll(): number {
  const n = clients.length;
  for (const c of clients) c.close();
  clients.length = 0;
  counts.clients = 0;
  counts.connected = 0;
  return n;
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode === 200) resolve(Buffer.concat(chunks).toString('utf8'));
        else reject(new Error(`HTTP ${res.statusCode ?? 0}`));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** A dashboard of the replaced system: GET /dashboard every period (fixed rate), random phase. */
function startPollers(args: PollerArgs): void {
  const group = args.group ?? 'default';
  for (let i = 0; i < args.count; i++) {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let lastMarker = 0;
    let due = Date.now() + Math.random() * args.periodMs;
    const tick = () => {
      if (stopped) return;
      httpGet(`${args.url}/dashboard`)
        .then((body) => {
          const at = now();
          counts.polls += 1;
          const data = JSON.parse(body) as { recent?: Record<string, unknown>[] };
          for (const seq of markersIn(data.recent ?? [], lastMarker)) {
            recordMarker(group, seq, at);
            if (seq > lastMarker) lastMarker = seq;
          }
        })
        .catch(() => (counts.pollErrors += 1))
        .finally(() => {
          if (stopped) return;
          due += args.periodMs;
          timer = setTimeout(tick, Math.max(0, due - Date.now()));
        });
    };
    timer = setTimeout(tick, Math.max(0, due - Date.now()));
    pollers.push({
      stop: () => {
        stopped = true;
        clearTimeout(timer);
      },
    });
  }
}

async function httpOnce(url: string, count: number): Promise<HttpOnceResult> {
  const result: HttpOnceResult = { ok: 0, failed: 0, times: [], firstError: undefined };
  await Promise.all(
    Array.from({ length: count }, async () => {
      try {
        await httpGet(`${url}/dashboard`);
        result.ok += 1;
        result.times.push(now());
      } catch (error) {
        result.failed += 1;
        result.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }),
  );
  return result;
}

function resync(expected: Record<string, number>, since: number): ResyncResult {
  const times: number[] = [];
  const ids = Object.keys(expected);
  for (const client of clients) {
    let at = 0;
    let ok = true;
    for (const id of ids) {
      const latest = client.latest.get(id);
      if (!latest || latest.version !== expected[id] || latest.at < since) {
        ok = false;
        break;
      }
      at = Math.max(at, latest.at);
    }
    if (ok) times.push(at);
  }
  return { clients: clients.length, resynced: times.length, times };
}

async function handle(req: Request): Promise<unknown> {
  switch (req.cmd) {
    case 'connect':
      return connect(req.args);
    case 'closeAll':
      return closeAll();
    case 'reset':
      markers.clear();
      fanout.clear();
      counts.updates = 0;
      counts.polls = 0;
      counts.pollErrors = 0;
      counts.reconnects = 0;
      counts.connectErrors = 0;
      return true;
    case 'markers':
      return markers;
    case 'fanout':
      return fanout;
    case 'counts': {
      const cpu = process.cpuUsage();
      return { ...counts, cpuMs: (cpu.user + cpu.system) / 1000 };
    }
    case 'resync':
      return resync(req.expected, req.since);
    case 'startPollers':
      startPollers(req.args);
      return true;
    case 'stopPollers':
      for (const p of pollers) p.stop();
      pollers = [];
      return true;
    case 'httpOnce':
      return httpOnce(req.url, req.count);
    case 'memory':
      return process.memoryUsage();
  }
}

process.on('message', (message: Envelope) => {
  handle(message.req).then(
    (result) => send({ id: message.id, ok: true, result }),
    (error: unknown) =>
      send({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});

function send(reply: Reply): void {
  process.send?.(reply);
}

// The benchmark going away (even by SIGKILL) closes the IPC channel: leave with it.
process.on('disconnect', () => process.exit(0));
