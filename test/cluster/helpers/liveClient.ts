import { io } from 'socket.io-client';
import type {
  CatalogAck,
  SectionUpdate,
  ServerStatus,
  SubscribeAck,
} from '../../../common/protocol.js';
import { request, type TestSocket } from '../../helpers/client.js';
import { monotonicityViolations } from '../../helpers/monotonicityViolations.js';

export interface LiveClientOptions {
  transports?: ('websocket' | 'polling')[];
  /** Reconnect (through the load balancer) after losing the server; default true. */
  reconnect?: boolean;
  /** Fixed delay before each reconnection attempt (ms); default 300. */
  reconnectDelayMs?: number;
  /** Sent as `auth: { token }`. */
  token?: string;
}

/** One connection of a client: which node served it and what it held when it subscribed. */
export interface Session {
  nodeId: string;
  /** Index in `updates` of the first update received in this session. */
  firstUpdate: number;
  /** The `have` versions sent with this session's subscribe. */
  have: Record<string, number>;
}

/**
 * A client that behaves like the console's push client: on every connect (the first and each
 * reconnect) it asks the catalog which node it reached, then subscribes with the versions it holds
 * (`have`), so a node only sends the sections that differ. Records every update and session.
 */
export class LiveClient {
  readonly updates: SectionUpdate[] = [];
  /** `server-status` messages (degraded cluster and back). */
  readonly serverStatuses: ServerStatus[] = [];
  readonly sessions: Session[] = [];
  readonly have: Record<string, number> = {};
  disconnects = 0;
  /** Socket.IO's reason for each disconnect ("ping timeout", "transport close", ...). */
  readonly disconnectReasons: string[] = [];
  /** Subscribes acknowledged (one per session). */
  subscribes = 0;
  readonly socket: TestSocket;
  private connected!: Promise<void>;

  constructor(
    readonly name: string,
    url: string,
    private readonly sections: string[],
    options: LiveClientOptions = {},
  ) {
    const delay = options.reconnectDelayMs ?? 300;
    const transports = options.transports ?? ['websocket'];
    this.socket = io(url, {
      transports,
      upgrade: transports.length > 1,
      forceNew: true,
      timeout: 5000,
      reconnection: options.reconnect ?? true,
      reconnectionDelay: delay,
      reconnectionDelayMax: delay,
      randomizationFactor: 0,
      ...(options.token !== undefined ? { auth: { token: options.token } } : {}),
    });
    this.socket.on('update', (update) => {
      this.updates.push(update);
      const held = this.have[update.section];
      if (held === undefined || update.version > held) this.have[update.section] = update.version;
    });
    this.socket.on('server-status', (status) => this.serverStatuses.push(status));
    this.socket.on('disconnect', (reason) => {
      this.disconnects++;
      this.disconnectReasons.push(reason);
    });
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect_error', reject);
      this.socket.on('connect', () => {
        this.socket.off('connect_error', reject);
        void this.onConnect().then(resolve, (error: unknown) => {
          console.warn(`${this.name}: resubscribe failed: ${String(error)}`);
        });
      });
    });
  }

  /** Opens the connection and resolves once subscribed (first session). */
  static async open(
    name: string,
    url: string,
    sections: string[],
    options?: LiveClientOptions,
  ): Promise<LiveClient> {
    const client = new LiveClient(name, url, sections, options);
    try {
      await client.connected;
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  private async onConnect(): Promise<void> {
    const catalog = await request<CatalogAck>(this.socket, 'catalog');
    if (!catalog.ok) throw new Error(catalog.error.message);
    const have = { ...this.have };
    this.sessions.push({ nodeId: catalog.server.nodeId, firstUpdate: this.updates.length, have });
    const ack = await request<SubscribeAck>(this.socket, 'subscribe', {
      sections: this.sections,
      ...(Object.keys(have).length > 0 ? { have } : {}),
    });
    if (!ack.ok) throw new Error(ack.error.message);
    this.subscribes++;
  }

  /**
   * An acknowledged request on this connection: once it resolves, every message the server sent
   * before answering it (such as the updates after a subscribe) has been received.
   */
  async roundTrip(): Promise<void> {
    await request(this.socket, 'catalog');
  }

  get session(): Session | undefined {
    return this.sessions.at(-1);
  }

  get nodeId(): string | undefined {
    return this.session?.nodeId;
  }

  /** The latest update of a section this client received. */
  latest(section: string): SectionUpdate | undefined {
    return this.updates.filter((u) => u.section === section).at(-1);
  }

  /** The versions of a section in the order received. */
  versions(section: string): number[] {
    return this.updates.filter((u) => u.section === section).map((u) => u.version);
  }

  /**
   * Every place where a section's version did not strictly increase from one update to the next
   * (a duplicate delivery or a version going back), as readable lines; empty when all is well.
   */
  monotonicityViolations(): string[] {
    return monotonicityViolations(this.name, this.updates);
  }

  close(): void {
    this.socket.io.reconnection(false);
    this.socket.close();
  }
}

/** True when `events` and `recent` show event `id` as the latest on this client. */
export function hasEvent(client: LiveClient, id: number): boolean {
  return (
    client.latest('events')?.rows[0]?.last_id === id && client.latest('recent')?.rows[0]?.id === id
  );
}

/** True when every client has event `id` as its latest (both sections that show events). */
export function allHaveEvent(clients: LiveClient[], id: number): boolean {
  return clients.every((c) => hasEvent(c, id));
}
