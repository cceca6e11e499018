import type { Row, SectionStatus, SectionUpdate, ServerStatus } from '../../common/protocol.js';
import type { ClusterRuntime } from '../cluster/ClusterRuntime.js';
import type { RedisSnapshotStore } from '../cluster/RedisSnapshotStore.js';
import type { Logger } from '../log.js';
import type { OpsdeckIo } from '../socket/attachProtocol.js';
import type { DeliveryNode, Topology } from './Topology.js';

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
  /** The snapshots in Redis have been read once (until then, not ready). */
  private synced = false;
  private degraded = false;
  private closed = false;

  constructor(
    private readonly cluster: ClusterRuntime,
    private readonly io: OpsdeckIo,
    private readonly log: Logger,
  ) {
    this.store = cluster.store;
    // Versions and statuses published by the leader.
    io.on('opsdeck:snapshot', (update) => {
      if (this.store.accept(update)) this.node?.deliver(update);
    });
    io.on('opsdeck:status', (status) => {
      if (!cluster.lease.isLeader) this.node?.relayStatus(status);
    });
    // At start and after a Redis outage, deliver what changed meanwhile (pub/sub messages were
    // lost). Commands need the command connection, so its 'ready' counts too.
    cluster.clients.sub.on('ready', () => void this.resync());
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
    await this.cluster.close();
  }

  /** Elected: deliver what the previous leader stored but may not have passed on, then read. */
  private async lead(node: DeliveryNode): Promise<void> {
    // Without this, clients would keep old rows until the next change (the hash would match).
    for (const update of await this.refreshFromRedis()) {
      node.deliver(update);
      this.io.serverSideEmit('opsdeck:snapshot', update);
    }
    if (this.cluster.lease.isLeader) node.lead(); // else lost it meanwhile
  }

  private async resync(): Promise<void> {
    for (const update of await this.refreshFromRedis()) this.node?.deliver(update);
  }

  /** Snapshots in Redis newer than this node's; [] (and a retry later) when Redis is not ready. */
  private async refreshFromRedis(): Promise<SectionUpdate[]> {
    const { clients, store } = this.cluster;
    if (!this.node || this.closed) return [];
    if (clients.command.status !== 'ready') return []; // its 'ready' event calls again
    try {
      const newer = await store.refresh([...this.node.sectionIds]);
      this.synced = true;
      return newer;
    } catch (error) {
      const err = (error as Error).message;
      this.log.warn({ err }, 'could not read snapshots from Redis; retrying');
      setTimeout(() => void this.resync(), 1000).unref();
      return [];
    }
  }

  private checkDegraded(): void {
    const now = !this.cluster.redisReady;
    if (now === this.degraded) return;
    this.degraded = now;
    this.io.local.emit('server-status', now ? DEGRADED : { degraded: false });
  }
}
