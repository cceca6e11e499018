/**
 * A client process of the cluster soak (sClusterSoak): holds its share of the clients, each like
 * the console's push client without a load balancer: it subscribes with the versions it holds
 * (`have`) on every connection, and after losing one (a random drop, a killed node) it waits a
 * jittered, growing backoff and connects to a random node of the current list. Counts every
 * version that did not strictly increase. Talks to the scenario over IPC.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ServerToClientEvents,
  SubscribeAck,
} from '../../common/protocol.js';

type SoakSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type SoakRequest =
  | { cmd: 'start'; count: number; sections: string[]; urls: string[]; dropEveryMs: number }
  | { cmd: 'urls'; urls: string[] }
  | { cmd: 'report'; expected: Record<string, number> }
  | { cmd: 'stop' };

export interface SoakReport {
  clients: number;
  /** Subscribed on their current connection. */
  subscribed: number;
  /** Holding exactly the expected version of every section. */
  atExpected: number;
  violations: number;
  firstViolation: string | undefined;
  drops: number;
  sessions: number;
  updates: number;
}

let urls: string[] = [];
let sections: string[] = [];
const clients: SoakClient[] = [];
const totals = { violations: 0, drops: 0, sessions: 0, updates: 0 };
let firstViolation: string | undefined;
let dropTimer: NodeJS.Timeout | undefined;

class SoakClient {
  readonly latest = new Map<string, number>();
  subscribed = false;
  private socket: SoakSocket | undefined;
  private failures = 0;
  private stopped = false;

  connect(): void {
    if (this.stopped) return;
    const url = urls[Math.floor(Math.random() * urls.length)];
    if (!url) return this.retry();
    const socket: SoakSocket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 20_000,
    });
    this.socket = socket;
    socket.on('update', (u) => {
      totals.updates++;
      const held = this.latest.get(u.section);
      if (held !== undefined && u.version <= held) {
        totals.violations++;
        firstViolation ??= `${u.section} v${u.version} after v${held} (from ${url})`;
      }
      if (held === undefined || u.version > held) this.latest.set(u.section, u.version);
    });
    socket.once('connect', () => {
      const have = Object.fromEntries(this.latest);
      socket
        .timeout(30_000)
        .emitWithAck('subscribe', { sections, ...(this.latest.size > 0 ? { have } : {}) })
        .then((ack: SubscribeAck) => {
          if (!ack.ok) throw new Error(ack.error.message);
          this.subscribed = true;
          this.failures = 0;
          totals.sessions++;
        })
        .catch(() => socket.disconnect());
    });
    const lost = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.subscribed = false;
      socket.close();
      this.retry();
    };
    socket.once('connect_error', lost);
    socket.once('disconnect', lost);
  }

  /** A random drop: the connection ends as a network failure would end it. */
  drop(): void {
    if (!this.subscribed) return;
    totals.drops++;
    this.socket?.io.engine.close();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  private retry(): void {
    this.failures++;
    const base = Math.min(5000, 250 * 2 ** Math.min(this.failures, 5));
    setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2)).unref();
  }
}

function report(expected: Record<string, number>): SoakReport {
  const want = Object.entries(expected);
  return {
    clients: clients.length,
    subscribed: clients.filter((c) => c.subscribed).length,
    atExpected: clients.filter((c) => want.every(([s, v]) => c.latest.get(s) === v)).length,
    firstViolation,
    ...totals,
  };
}

process.on('message', (message: { id: number; req: SoakRequest }) => {
  const { id, req } = message;
  let result: unknown = null;
  switch (req.cmd) {
    case 'start': {
      urls = req.urls;
      sections = req.sections;
      for (let i = 0; i < req.count; i++) {
        const client = new SoakClient();
        clients.push(client);
        // Spread over the first second: not all at once.
        setTimeout(() => client.connect(), Math.random() * 1000).unref();
      }
      // Each client drops its connection about once every dropEveryMs, at random.
      const chance = 1000 / req.dropEveryMs;
      dropTimer = setInterval(() => {
        for (const c of clients) if (Math.random() < chance) c.drop();
      }, 1000);
      break;
    }
    case 'urls':
      urls = req.urls;
      break;
    case 'report':
      result = report(req.expected);
      break;
    case 'stop':
      clearInterval(dropTimer);
      for (const c of clients) c.stop();
      break;
  }
  process.send?.({ id, result });
  if (req.cmd === 'stop') setTimeout(() => process.exit(0), 200);
});
