import { io } from 'socket.io-client';
import type { ClientsRequest } from '../../common/clients.js';
import type { ClientsAck, VerifyAck, VerifyRequest } from '../../common/protocol.js';
import {
  beginAlertResync,
  endAlertResync,
  initialAlerts,
  type AlertsState,
} from './alertsReducer.js';
import { ACK_TIMEOUT_MS, askServer, measureRoundTrip } from './askServer.js';
import {
  connectedState,
  disconnectWords,
  refusedState,
  retryDelayMs,
  retryingState,
  wakingState,
  type RetryBackoff,
} from './connectionPhases.js';
import { describeConnectError } from './describeConnectError.js';
import type { OpsdeckSocket, SocketFactory } from './opsdeckSocket.js';
import { resync } from './resync.js';
import { routeLiveEvents } from './routeLiveEvents.js';
import { markForResync } from './sectionsReducer.js';
import {
  initialCluster,
  initialConnection,
  initialSections,
  type ClusterState,
  type ConnectTarget,
  type ConnectionState,
  type SectionsState,
} from './state.js';
import { Store } from './Store.js';

export interface PushClientOptions {
  socketFactory?: SocketFactory;
  /** Backoff of automatic reconnection attempts. */
  retry?: RetryBackoff;
  pingEveryMs?: number;
  now?: () => number;
  /** Kiosk: retry a refused token too (someone may fix it server-side); never give up. */
  retryForever?: boolean;
}

/** The clients list may wait for every node of a cluster, in two rounds. */
const CLIENTS_TIMEOUT_MS = 15_000;

/**
 * The console's one connection to a server: connects, reads the catalog, subscribes to every
 * section (with the versions it holds after a reconnect, so only what changed is resent), measures
 * round trips, and reconnects with backoff. It owns the stores; components only read them.
 */
export class PushClient {
  readonly connection = new Store<ConnectionState>(initialConnection);
  readonly sections = new Store<SectionsState>(initialSections);
  readonly cluster = new Store<ClusterState>(initialCluster);
  readonly alerts = new Store<AlertsState>(initialAlerts);

  private socket: OpsdeckSocket | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private readonly factory: SocketFactory;
  private readonly retry: RetryBackoff;
  private readonly pingEveryMs: number;
  private readonly now: () => number;
  private readonly retryForever: boolean;
  /** Bumped on every new socket: events from an older socket are ignored. */
  private generation = 0;
  /** A wake() reconnect is under way (until connected or failed). */
  private waking = false;

  constructor(options: PushClientOptions = {}) {
    this.factory = options.socketFactory ?? ((url, opts) => io(url, opts));
    this.retry = options.retry ?? { initialMs: 500, maxMs: 10_000 };
    this.pingEveryMs = options.pingEveryMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.retryForever = options.retryForever ?? false;
  }

  /**
   * Connects to a target, dropping any previous connection. Another server's data is dropped too;
   * the same profile at another address (failover, a restarted local demo) keeps its data on
   * screen, stale, until the new connection resyncs it, so KPI deltas still compare with the last
   * value seen before the switch.
   */
  connect(target: ConnectTarget): void {
    const sameServer = this.connection.get().target?.id === target.id;
    this.sections.set(sameServer ? markForResync(this.sections.get()) : initialSections);
    this.cluster.set(initialCluster);
    this.alerts.set(sameServer ? beginAlertResync(this.alerts.get()) : initialAlerts);
    this.connection.set({
      ...initialConnection,
      phase: 'connecting',
      target,
      disconnectedSince: this.now(),
    });
    this.open(target);
  }

  /**
   * The machine woke up or the network changed (resume, unlock, `online`, the tab visible again
   * after a while): the socket may be a dead TCP connection that still looks open, and a retry
   * may be far off. Drops the socket and connects again at once with the versions held, so only
   * what changed is resent; every card shows stale until that resync has landed. Several signals
   * at once (resume, unlock and online together) cost one reconnect.
   */
  wake(): void {
    const state = this.connection.get();
    const { target } = state;
    if (!target || state.phase === 'idle') return;
    if (state.phase === 'unauthorized' && !this.retryForever) return; // the token is still wrong
    if (this.waking) return;
    this.waking = true;
    this.connection.set(wakingState(state, this.now()));
    this.alerts.update(beginAlertResync);
    this.open(target);
  }

  /** A new socket to `target`; events of any older socket are ignored from now on. */
  private open(target: ConnectTarget): void {
    this.teardown();
    const generation = ++this.generation;
    const socket = this.factory(target.url, {
      transports: ['websocket'],
      reconnection: false, // our own loop: it knows the attempt and the next retry time
      forceNew: true,
      timeout: 8000,
      ...(target.token ? { auth: { token: target.token } } : {}),
    });
    this.socket = socket;
    const live = () => generation === this.generation;

    socket.on('connect', () => live() && void this.onConnected(socket, generation));
    socket.on('connect_error', (error: Error) => live() && this.onConnectError(error));
    socket.on('disconnect', (reason) => live() && this.onDisconnected(reason));
    routeLiveEvents(socket, this, live, this.now);
  }

  /**
   * Asks the server whether a version and hash are the ones it holds now (the `verify` event);
   * rejects when there is no live connection or no answer in time.
   */
  verify(request: VerifyRequest): Promise<VerifyAck> {
    return askServer(this.socket, this.isConnected(), (s) =>
      s.timeout(ACK_TIMEOUT_MS).emitWithAck('verify', request),
    );
  }

  /**
   * A page of the clients connected to the server's nodes (the `clients` event), asked when the
   * user opens or refreshes the list; rejects when there is no live connection or no answer in
   * time (a node that does not answer costs the server up to 10 s: it then says `complete: false`).
   */
  listClients(request: ClientsRequest): Promise<ClientsAck> {
    return askServer(this.socket, this.isConnected(), (s) =>
      s.timeout(CLIENTS_TIMEOUT_MS).emitWithAck('clients', request),
    );
  }

  private isConnected(): boolean {
    return this.connection.get().phase === 'connected';
  }

  /** Tries again at once (the banner's "Retry now", or after fixing a token). */
  retryNow(): void {
    const state = this.connection.get();
    if (!this.socket || ['connected', 'idle', 'connecting'].includes(state.phase)) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.connection.update((c) => ({ ...c, nextRetryAt: undefined }));
    this.socket.connect();
  }

  /** Stops on purpose (switching servers, closing). */
  disconnect(): void {
    this.teardown();
    this.generation++;
    this.waking = false;
    this.connection.set({ ...initialConnection });
    this.sections.set(initialSections);
    this.cluster.set(initialCluster);
    this.alerts.set(initialAlerts);
  }

  private teardown(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = undefined;
    this.pingTimer = undefined;
    this.socket?.removeAllListeners();
    this.socket?.close();
    this.socket = undefined;
  }

  private async onConnected(socket: OpsdeckSocket, generation: number): Promise<void> {
    try {
      const live = () => generation === this.generation;
      if (!(await resync(socket, this, live, () => this.ping(socket, generation)))) return;
      this.waking = false;
      this.connection.update(connectedState);
      this.alerts.update((s) => endAlertResync(s, this.now()));
      this.pingTimer = setInterval(() => void this.ping(socket, generation), this.pingEveryMs);
    } catch (error) {
      if (generation !== this.generation) return;
      // Connected but not speaking the protocol: drop the connection and retry like any failure.
      this.connection.update((c) => ({
        ...c,
        lastError: `handshake failed: ${(error as Error).message}`,
      }));
      socket.disconnect();
      this.onDisconnected('handshake failed');
    }
  }

  private async ping(socket: OpsdeckSocket, generation: number): Promise<void> {
    const measured = await measureRoundTrip(socket, this.now);
    if (!measured || generation !== this.generation) return;
    this.connection.updateInFrame((c) => ({ ...c, ...measured }));
  }

  private onConnectError(error: Error): void {
    if (error.message === 'unauthorized') {
      this.connection.update((c) => refusedState(c, this.now()));
      if (!this.retryForever) return; // no retry: the same token will be refused again
      this.scheduleRetry('the server refused the token', 'unauthorized');
      return;
    }
    this.scheduleRetry(describeConnectError(error));
  }

  private onDisconnected(reason: string): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    this.alerts.update(beginAlertResync); // held, unconfirmed, until the server resends them
    this.scheduleRetry(disconnectWords(reason, this.connection.get().serverShutdown));
  }

  private scheduleRetry(why: string, phase?: 'unauthorized'): void {
    this.waking = false;
    const state = this.connection.get();
    const delay = retryDelayMs(state.attempt + 1, this.retry);
    this.connection.set(retryingState(state, why, delay, this.now(), phase));
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connection.update((c) => ({ ...c, nextRetryAt: undefined }));
      this.socket?.connect();
    }, delay);
  }
}
