import { io } from 'socket.io-client';
import type {
  CatalogAck,
  SectionStatus,
  SectionUpdate,
  ServerStatus,
  SubscribeAck,
} from '../../../common/protocol.js';
import { request, type TestSocket } from '../../helpers/client.js';
import { monotonicityViolations } from '../../helpers/monotonicityViolations.js';

/** One connection: which node served it, what the client held when it subscribed. */
export interface FaultSession {
  url: string;
  nodeId: string;
  /** Index in `updates` of the first update received in this session. */
  firstUpdate: number;
  have: Record<string, number>;
}

/** Something the client received, stamped with the time it arrived (for "within N s" bounds). */
export interface Stamped<T> {
  at: number;
  value: T;
}

/**
 * A client like the console's push client, without a load balancer: it is given every node's URL
 * and starts on `urls[start]`; when its connection drops (or cannot be made) it moves to the next
 * URL after `retryMs` and subscribes there with the versions it holds (`have`). Records every
 * update, `section-status` and `server-status`, and every session.
 */
export class FaultClient {
  readonly updates: SectionUpdate[] = [];
  readonly sectionStatuses: Stamped<SectionStatus>[] = [];
  readonly serverStatuses: Stamped<ServerStatus>[] = [];
  readonly sessions: FaultSession[] = [];
  readonly have: Record<string, number> = {};
  disconnects = 0;
  private socket: TestSocket | undefined;
  private index: number;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    private readonly urls: readonly string[],
    start: number,
    private readonly sections: readonly string[],
    private readonly retryMs = 300,
  ) {
    this.index = start % urls.length;
  }

  /** Opens the first connection and resolves once subscribed there. */
  static async open(
    name: string,
    urls: readonly string[],
    start: number,
    sections: readonly string[],
  ): Promise<FaultClient> {
    const client = new FaultClient(name, urls, start, sections);
    await client.connectTo(client.urls[client.index]!);
    return client;
  }

  get session(): FaultSession | undefined {
    return this.sessions.at(-1);
  }

  /** The latest update of a section received. */
  latest(section: string): SectionUpdate | undefined {
    return this.updates.filter((u) => u.section === section).at(-1);
  }

  /** The sections received in session `index` (from its subscribe to the next session). */
  receivedIn(index: number): SectionUpdate[] {
    const session = this.sessions[index];
    if (!session) return [];
    const next = this.sessions[index + 1]?.firstUpdate ?? this.updates.length;
    return this.updates.slice(session.firstUpdate, next);
  }

  /** Each place where a section's version did not strictly increase (a duplicate or going back). */
  monotonicityViolations(): string[] {
    return monotonicityViolations(this.name, this.updates);
  }

  /** An acknowledged request: every message sent before its answer has arrived. */
  async roundTrip(): Promise<void> {
    if (this.socket) await request(this.socket, 'catalog');
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.socket?.close();
  }

  private connectTo(url: string): Promise<void> {
    const socket: TestSocket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 5000,
    });
    this.socket = socket;
    socket.on('update', (update) => {
      this.updates.push(update);
      const held = this.have[update.section];
      if (held === undefined || update.version > held) this.have[update.section] = update.version;
    });
    socket.on('section-status', (value) => this.sectionStatuses.push({ at: Date.now(), value }));
    socket.on('server-status', (value) => this.serverStatuses.push({ at: Date.now(), value }));
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        this.subscribe(socket, url).then(resolve, (error: unknown) => {
          socket.close();
          this.moveOn();
          reject(error instanceof Error ? error : new Error(String(error)));
        });
      });
      socket.once('connect_error', (error) => {
        socket.close();
        this.moveOn();
        reject(error);
      });
      socket.once('disconnect', () => {
        this.disconnects++;
        this.moveOn();
      });
    });
  }

  private async subscribe(socket: TestSocket, url: string): Promise<void> {
    const catalog = await request<CatalogAck>(socket, 'catalog');
    if (!catalog.ok) throw new Error(catalog.error.message);
    const have = { ...this.have };
    this.sessions.push({
      url,
      nodeId: catalog.server.nodeId,
      firstUpdate: this.updates.length,
      have,
    });
    const ack = await request<SubscribeAck>(socket, 'subscribe', {
      sections: this.sections,
      ...(Object.keys(have).length > 0 ? { have } : {}),
    });
    if (!ack.ok) throw new Error(ack.error.message);
  }

  /** The next node, after a pause (the one that failed may be gone for good). */
  private moveOn(): void {
    if (this.closed || this.retry) return;
    this.index = (this.index + 1) % this.urls.length;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.closed) this.connectTo(this.urls[this.index]!).catch(() => undefined);
    }, this.retryMs);
  }
}
