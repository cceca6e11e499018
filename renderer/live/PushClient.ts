import { io, type Socket } from 'socket.io-client';
import type { ClientsRequest } from '../../common/clients.js';
import type {
  CatalogAck,
  ClientsAck,
  ClientToServerEvents,
  PingAck,
  ServerToClientEvents,
  SubscribeAck,
  VerifyAck,
  VerifyRequest,
} from '../../common/protocol.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import {
  applyAlert,
  applyAlertRules,
  beginAlertResync,
  endAlertResync,
  initialAlerts,
  type AlertsState,
} from './alertsReducer.js';
import { applyClusterUpdate } from './clusterReducer.js';
import {
  applyCatalog,
  applyStatus,
  applyUpdate,
  clearStatuses,
  haveVersions,
  markForResync,
} from './sectionsReducer.js';
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

export type OpsdeckSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type SocketFactory = (url: string, options: Parameters<typeof io>[1]) => OpsdeckSocket;

export interface PushClientOptions {
  socketFactory?: SocketFactory;
  /** Backoff of automatic reconnection attempts. */
  retry?: { initialMs: number; maxMs: number };
  pingEveryMs?: number;
  now?: () => number;
  /** Kiosk: retry a refused token too (someone may fix it server-side); never give up. */
  retryForever?: boolean;
}

const ACK_TIMEOUT_MS = 5000;
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
  private readonly retry: { initialMs: number; maxMs: number };
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
    this.connection.set({
      ...state,
      phase: state.phase === 'connected' ? 'reconnecting' : state.phase,
      attempt: 0,
      nextRetryAt: undefined,
      disconnectedSince: state.disconnectedSince ?? this.now(),
      rttMs: undefined,
    });
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
    // Live data reaches the screen once per animation frame, however many messages came in it.
    socket.on('update', (update) => {
      if (!live()) return;
      if (update.section === CLUSTER_SECTION_ID) {
        this.cluster.updateInFrame((s) => applyClusterUpdate(s, update, this.now()));
        const nodes = update.rows.length;
        this.connection.updateInFrame((c) =>
          c.server && c.server.clusterSize !== nodes
            ? { ...c, server: { ...c.server, clusterSize: nodes } }
            : c,
        );
      } else this.sections.updateInFrame((s) => applyUpdate(s, update, this.now()));
    });
    socket.on(
      'section-status',
      (status) => live() && this.sections.updateInFrame((s) => applyStatus(s, status)),
    );
    socket.on(
      'alert',
      (event) => live() && this.alerts.update((s) => applyAlert(s, event, this.now())),
    );
    socket.on(
      'server-shutdown',
      () => live() && this.connection.update((c) => ({ ...c, serverShutdown: true })),
    );
    socket.on('server-status', (status) => {
      if (!live()) return;
      const degraded = status.degraded ? (status.reason ?? 'cluster degraded') : undefined;
      this.connection.update((c) => ({ ...c, degraded }));
    });
  }

  /**
   * Asks the server whether a version and hash are the ones it holds now (the `verify` event);
   * rejects when there is no live connection or no answer in time.
   */
  async verify(request: VerifyRequest): Promise<VerifyAck> {
    const socket = this.socket;
    if (!socket?.connected || this.connection.get().phase !== 'connected') {
      throw new Error('not connected to the server');
    }
    try {
      return (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('verify', request)) as VerifyAck;
    } catch {
      throw new Error('the server did not answer in time');
    }
  }

  /**
   * A page of the clients connected to the server's nodes (the `clients` event), asked when the
   * user opens or refreshes the list; rejects when there is no live connection or no answer in
   * time (a node that does not answer costs the server up to 10 s: it then says `complete: false`).
   */
  async listClients(request: ClientsRequest): Promise<ClientsAck> {
    const socket = this.socket;
    if (!socket?.connected || this.connection.get().phase !== 'connected') {
      throw new Error('not connected to the server');
    }
    try {
      return (await socket
        .timeout(CLIENTS_TIMEOUT_MS)
        .emitWithAck('clients', request)) as ClientsAck;
    } catch {
      throw new Error('the server did not answer in time');
    }
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
      // The ping goes out with the catalog request: its answer comes right behind the catalog's,
      // so the clock offset is known before the first snapshots without a round trip of its own.
      const asked = socket.timeout(ACK_TIMEOUT_MS).emitWithAck('catalog');
      const pinged = this.ping(socket, generation);
      const catalog = (await asked) as CatalogAck;
      if (generation !== this.generation) return;
      if (!catalog.ok) throw new Error(catalog.error.message);
      this.sections.update((s) => applyCatalog(s, catalog.sections, catalog.dashboards));
      this.alerts.update((s) => applyAlertRules(s, catalog.alerts));
      this.connection.update((c) => ({ ...c, lastError: undefined, server: catalog.server }));
      // The clock offset first, so the first snapshots already show the right "updated ... ago".
      await pinged;
      const ids = catalog.sections.map((s) => s.id);
      this.sections.update(clearStatuses);
      this.alerts.update(beginAlertResync);
      const ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', {
        sections: ids,
        have: haveVersions(this.sections.get()),
      })) as SubscribeAck;
      if (!ack.ok) throw new Error(ack.error.message);
      // The server sends the snapshots, statuses and firing alerts the subscribe asks for right
      // behind its answer; a ping's answer comes after them on the same socket. Only once it is
      // in is the resync complete: until then every card stays stale (the phase is not
      // 'connected'), and whatever alert was not resent is not firing.
      await this.ping(socket, generation);
      if (generation !== this.generation) return;
      this.waking = false;
      this.connection.update((c) => ({
        ...c,
        phase: 'connected',
        attempt: 0,
        nextRetryAt: undefined,
        disconnectedSince: undefined,
        lastError: undefined,
        serverShutdown: undefined,
      }));
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
    const sent = this.now();
    try {
      const ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('ping')) as PingAck;
      if (generation !== this.generation || !ack.ok) return;
      const received = this.now();
      const rttMs = received - sent;
      const clockOffsetMs = ack.serverTime - (sent + rttMs / 2);
      this.connection.updateInFrame((c) => ({ ...c, rttMs, clockOffsetMs }));
    } catch {
      // A lost ping shows up as a disconnect soon enough.
    }
  }

  private onConnectError(error: Error): void {
    if (error.message === 'unauthorized') {
      this.connection.update((c) => ({
        ...c,
        phase: 'unauthorized',
        nextRetryAt: undefined,
        disconnectedSince: c.disconnectedSince ?? this.now(),
        lastError: c.target?.token ? 'the server refused the token' : 'the server needs a token',
      }));
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
    const words =
      reason === 'io server disconnect'
        ? 'the server closed the connection'
        : this.connection.get().serverShutdown
          ? 'the server is restarting or was stopped'
          : `connection lost (${reason})`;
    this.scheduleRetry(words);
  }

  private scheduleRetry(why: string, phase?: 'unauthorized'): void {
    this.waking = false;
    const state = this.connection.get();
    const attempt = state.attempt + 1;
    const base = Math.min(this.retry.maxMs, this.retry.initialMs * 2 ** Math.min(attempt - 1, 10));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    const wasConnected = state.phase === 'connected' || state.phase === 'reconnecting';
    this.connection.set({
      ...state,
      phase: phase ?? (wasConnected ? 'reconnecting' : 'unreachable'),
      attempt,
      nextRetryAt: this.now() + delay,
      disconnectedSince: state.disconnectedSince ?? this.now(),
      lastError: why,
      rttMs: undefined,
      degraded: undefined, // the next server says so again if it still is
    });
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connection.update((c) => ({ ...c, nextRetryAt: undefined }));
      this.socket?.connect();
    }, delay);
  }
}

/** socket.io-client's connect errors in words for people. */
export function describeConnectError(error: Error): string {
  const message = error.message || 'connection failed';
  if (/timeout/i.test(message)) return 'the server did not answer in time';
  if (/websocket error|xhr poll error|transport/i.test(message))
    return 'the server cannot be reached';
  return message;
}
