import type { Row, SectionStatus, SectionUpdate, ServerStatus } from '../../common/protocol.js';
import type { ClusterRuntime } from '../cluster/ClusterRuntime.js';
import type { RedisSnapshotStore } from '../cluster/RedisSnapshotStore.js';
import type { Logger } from '../log.js';
import type { OpsdeckIo } from '../socket/attachProtocol.js';
import type { DeliveryNode, Topology } from './Topology.js';

/**
 * How long a connection waits for this node's first read of the snapshots in Redis before it is
 * let in anyway (Redis unreachable at start-up: it is then told `server-status` degraded).
 */
const FIRST_LOAD_WAIT_MS = 5000;

/**
 * How often a follower compares its versions with Redis's. A pub/sub message can be lost with no
 * event to tell (a shard failing over just as the leader sends): the follower's clients would keep
 * the older rows until the next change. One pipelined read of the versions; bodies only if newer.
 */
export const RECONCILE_MS = 5000;

const DEGRADED: ServerStatus = {
  degraded: true,
  reason: 'cluster degraded: Redis is unreachable; showing the last data this node has',
};

/**
 * One of several server processes sharing Redis. Only the lease holder reads; it stores each new
 * version in Redis (fenced) and sends it to the other nodes through the Socket.IO Redis adapter
 * (serverSideEmit reaches the other nodes only). Every node delivers to its own clients, so each
 * client gets each change exactly once; a node accepts only versions newer than the one it holds.
 */
export class ClusterNode implements Topology {
  readonly store: RedisSnapshotStore;
  private node: DeliveryNode | undefined;
  /**
   * The snapshots in Redis have been read once and delivered (until then, not ready, and new
   * connections wait: see the constructor).
   */
  private synced = false;
  private markSynced!: () => void;
  private readonly firstLoad = new Promise<void>((resolve) => (this.markSynced = resolve));
  private warnedUnsynced = false;
  private degraded = false;
  private closed = false;
  private reconcile: NodeJS.Timeout | undefined;
  /** The retry of a read of Redis that failed. */
  private retry: NodeJS.Timeout | undefined;
  /** A resync is reading Redis (a hung Redis must not pile them up)... */
  private resyncing = false;
  /** ...and another was asked for meanwhile. */
  private resyncAgain = false;

  constructor(
    private readonly cluster: ClusterRuntime,
    private readonly io: OpsdeckIo,
    private readonly log: Logger,
  ) {
    this.store = cluster.store;
    // A node that answered subscribes before it read Redis would send a client that moved here
    // with `have` nothing, then deliver the very same versions to its room once loaded. New
    // connections wait for that first read (a few ms; at most FIRST_LOAD_WAIT_MS).
    io.use((_socket, next) => {
      if (this.synced) return next();
      void Promise.race([this.firstLoad, delay(FIRST_LOAD_WAIT_MS)]).then(() => {
        if (!this.synced && !this.warnedUnsynced) {
          this.warnedUnsynced = true;
          this.log.warn('snapshots not read from Redis yet; letting connections in anyway');
        }
        next();
      });
    });
    // Versions and statuses published by the leader.
    io.on('opsdeck:snapshot', (update) => {
      if (this.store.accept(update)) this.node?.deliver(update);
    });
    io.on('opsdeck:status', (status) => {
      if (!cluster.lease.isLeader) this.node?.relayStatus(status);
    });
    // At start and after a Redis outage, deliver what changed meanwhile (pub/sub messages were
    // lost). Commands need the command connection, so its 'ready' counts too.
    // (After the subscriptions are in effect: a read before them could miss a message.)
    cluster.onSubscribed(() => void this.resync());
    cluster.clients.command.on('ready', () => void this.resync());
    // Tell clients when the cluster is degraded (and when it is not any more).
    const { command, pub, sub } = cluster.clients;
    for (const client of [command, pub, sub]) {
      client.on('ready', () => this.checkDegraded());
      client.on('close', () => this.checkDegraded());
    }
    io.on('connection', (socket) => {
      if (this.degraded) socket.emit('server-status', DEGRADED);
    });
  }

  isLeader(): boolean {
    return this.cluster.lease.isLeader;
  }

  nodeRows(): Promise<Row[]> {
    return this.cluster.registry.liveNodes();
  }

  start(node: DeliveryNode): void {
    this.node = node;
    const { lease, registry } = this.cluster;
    const announce = () => void registry.beatNow().then(() => node.refreshNodes());
    lease.on('elected', () => {
      announce();
      void this.lead(node);
    });
    lease.on('deposed', () => {
      // Closing: the core has stopped already, and a heartbeat now would outlive the goodbye.
      if (this.closed) return;
      announce();
      void node.follow();
    });
    this.cluster.start(() => node.ownRow());
    void this.resync();
    this.reconcile = setInterval(() => {
      if (!this.cluster.lease.isLeader) void this.resync();
    }, RECONCILE_MS);
    this.reconcile.unref();
  }

  published(update: SectionUpdate): void {
    this.io.serverSideEmit('opsdeck:snapshot', update);
  }

  statusChanged(status: SectionStatus): void {
    this.io.serverSideEmit('opsdeck:status', status);
  }

  async readiness(): Promise<void> {
    await this.cluster.ping(2000);
    if (!this.synced) throw new Error('cluster: loading snapshots from Redis');
  }

  /** Hands the lease over and leaves; after Socket.IO is closed (its adapter uses Redis). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.reconcile);
    clearTimeout(this.retry);
    await this.cluster.close();
  }

  /** Elected: deliver what the previous leader stored but may not have passed on, then read. */
  private async lead(node: DeliveryNode): Promise<void> {
    // Without this, clients would keep old rows until the next change (the hash would match).
    const newer = await this.refreshFromRedis();
    for (const update of newer ?? []) {
      node.deliver(update);
      this.io.serverSideEmit('opsdeck:snapshot', update);
    }
    if (newer) this.loaded();
    if (this.cluster.lease.isLeader) node.lead(); // else lost it meanwhile
  }

  /** Delivers what Redis holds newer than this node; one at a time, again if asked meanwhile. */
  private async resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true; // asked for after the subscriptions took effect: read once more
      return;
    }
    this.resyncing = true;
    try {
      do {
        this.resyncAgain = false;
        const newer = await this.refreshFromRedis();
        if (!newer) return; // not ready (its 'ready' resyncs) or failed (a retry is pending)
        for (const update of newer) this.node?.deliver(update);
        this.loaded();
      } while (this.askedAgain());
    } finally {
      this.resyncing = false;
    }
  }

  /** Read through a method: resync() may be called while Redis is read. */
  private askedAgain(): boolean {
    return this.resyncAgain;
  }

  /** The first read of Redis is delivered: ready, and connections come in. */
  private loaded(): void {
    if (this.synced) return;
    this.synced = true;
    this.markSynced();
  }

  /**
   * Snapshots in Redis newer than this node's; undefined (and a retry later) when Redis is not
   * ready or the read failed.
   */
  private async refreshFromRedis(): Promise<SectionUpdate[] | undefined> {
    const { clients, store } = this.cluster;
    if (!this.node || this.closed) return undefined;
    if (clients.command.status !== 'ready') return undefined; // its 'ready' event calls again
    try {
      return await store.refresh([...this.node.sectionIds]);
    } catch (error) {
      const err = (error as Error).message;
      this.log.warn({ err }, 'could not read snapshots from Redis; retrying');
      // One retry pending at a time, whoever asked (a reconcile tick, a reconnect, a retry).
      this.retry ??= setTimeout(() => {
        this.retry = undefined;
        void this.resync();
      }, 1000).unref();
      return undefined;
    }
  }

  private checkDegraded(): void {
    const now = !this.cluster.redisReady;
    if (now === this.degraded) return;
    this.degraded = now;
    this.io.local.emit('server-status', now ? DEGRADED : { degraded: false });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
