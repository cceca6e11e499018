import type { SectionInfo, SectionStatus, SectionUpdate } from '../../common/protocol.js';
import { CLUSTER_SECTION_ID, sectionRoom } from '../../common/protocol.js';
import type { ClusterRuntime } from '../cluster/ClusterRuntime.js';
import type { Metrics } from '../metrics/Metrics.js';
import type { Logger } from '../log.js';
import type { OpsdeckIo } from '../socket/attachProtocol.js';
import { SlowConsumerGuard } from '../socket/SlowConsumerGuard.js';
import type { Watcher } from '../watch/Watcher.js';
import {
  CLUSTER_REFRESH_MS,
  clusterSection,
  nodeRow,
  type NodeCounters,
} from './clusterSection.js';
import type { NodeStats } from './NodeStats.js';
import { SectionEngine, type SectionEngineOptions, type SectionSpec } from './SectionEngine.js';
import { MemorySnapshotStore } from './SnapshotStore.js';

export interface SectionHubOptions {
  io: OpsdeckIo;
  sections: SectionSpec[];
  watchers: (engine: SectionEngine) => Watcher[];
  stats: NodeStats;
  metrics: Metrics;
  log: Logger;
  cluster?: ClusterRuntime;
  engineTiming?: Pick<SectionEngineOptions, 'settleMs' | 'minGapMs' | 'backoff'>;
}

/**
 * Who reads sections and how their updates reach this process's clients.
 *
 * Single server: the engine reads when the change feeds say so and emits to local rooms.
 * Cluster: only the lease holder runs the engine and the change feeds; it stores each new version
 * in Redis (fenced) and sends it to the other nodes through the Socket.IO Redis adapter
 * (serverSideEmit). Every node delivers to its own clients through its SlowConsumerGuard, so each
 * client gets each change exactly once. `$cluster` is computed by every node for its own clients.
 */
export class SectionHub {
  readonly engine: SectionEngine;
  private readonly nodes: SectionEngine;
  private readonly guard: SlowConsumerGuard;
  private watchers: Watcher[] = [];
  private clusterTimer: NodeJS.Timeout | undefined;
  private liveNodes = 1;
  /** In a cluster: the snapshots in Redis have been read once (until then, not ready). */
  private synced = false;
  private readonly counters: NodeCounters;

  constructor(private readonly options: SectionHubOptions) {
    const { io, metrics, log, cluster, stats } = options;
    this.engine = new SectionEngine({
      specs: options.sections,
      store: cluster?.store ?? new MemorySnapshotStore(),
      log,
      ...options.engineTiming,
    });
    const counters: NodeCounters = {
      leader: () => (cluster ? cluster.lease.isLeader : true),
      clients: () => io.sockets.sockets.size,
      subscriptions: () => countSubscriptions(io),
      queries: () => metrics.queryCount(),
      updatesSent: () => metrics.messageCount(),
    };
    const rows = cluster
      ? () => cluster.registry.liveNodes()
      : async () => [await nodeRow(stats, counters)];
    this.nodes = new SectionEngine({
      specs: [clusterSection(rows)],
      store: new MemorySnapshotStore(),
      log,
    });
    this.nodes.on('update', (update) => {
      this.liveNodes = Math.max(1, update.rows.length);
      this.guard.emitUpdate(update);
    });
    this.guard = new SlowConsumerGuard(io, (id) => this.snapshot(id), {
      sent: (n) => metrics.messagesSent.inc(n),
      skipped: (n) => metrics.skippedUpdates.inc(n),
      lagging: (n) => metrics.slowClients.set(n),
    });
    io.on('connection', (socket) => socket.on('disconnect', () => this.guard.forget(socket.id)));
    this.wireEngine();
    this.counters = counters;
    if (cluster) this.wireCluster(cluster);
  }

  catalog(): SectionInfo[] {
    return [...this.engine.catalog(), ...this.nodes.catalog()];
  }

  has(id: string): boolean {
    return this.engine.has(id) || this.nodes.has(id);
  }

  snapshot(id: string): SectionUpdate | undefined {
    return id === CLUSTER_SECTION_ID ? this.nodes.snapshot(id) : this.engine.snapshot(id);
  }

  status(id: string): SectionStatus | undefined {
    return id === CLUSTER_SECTION_ID ? this.nodes.status(id) : this.engine.status(id);
  }

  /** Why this node cannot serve complete data yet, if so (readiness). */
  notReadyReason(): string | undefined {
    if (this.options.cluster && !this.synced) return 'cluster: loading snapshots from Redis';
    return undefined;
  }

  /** Live server processes (1 on a single server). */
  clusterSize(): number {
    return this.liveNodes;
  }

  start(): void {
    const { cluster } = this.options;
    if (cluster) {
      this.engine.setActive(false); // until elected
      cluster.start(() => nodeRow(this.options.stats, this.counters));
      void this.resyncFromRedis();
    } else void this.lead();
    this.nodes.request(CLUSTER_SECTION_ID);
    this.clusterTimer = setInterval(
      () => this.nodes.request(CLUSTER_SECTION_ID),
      CLUSTER_REFRESH_MS,
    );
    this.clusterTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.clusterTimer) clearInterval(this.clusterTimer);
    this.engine.stop();
    this.nodes.stop();
    await this.follow();
    await this.options.cluster?.close();
  }

  /** Becomes the node that watches and reads. */
  private async lead(): Promise<void> {
    const { cluster, io, metrics } = this.options;
    if (cluster) {
      // The previous leader may have stored versions it died before passing on: deliver them
      // first, or clients would keep old rows until the next change (the hash would match).
      for (const update of await this.refreshFromRedis()) {
        this.guard.emitUpdate(update);
        io.serverSideEmit('opsdeck:snapshot', update);
      }
      if (!cluster.lease.isLeader) return; // lost it meanwhile
    }
    metrics.isLeader.set(1);
    this.engine.setActive(true);
    this.watchers = this.options.watchers(this.engine);
    for (const w of this.watchers) w.start();
    if (!this.watchers.some((w) => w.readsInitially)) this.engine.requestAll();
  }

  private async follow(): Promise<void> {
    this.options.metrics.isLeader.set(0);
    this.engine.setActive(false);
    const watchers = this.watchers;
    this.watchers = [];
    await Promise.allSettled(watchers.map((w) => w.stop()));
  }

  private wireEngine(): void {
    const { io, metrics, cluster } = this.options;
    this.engine.on('update', (update, lagMs) => {
      this.guard.emitUpdate(update);
      if (cluster) io.serverSideEmit('opsdeck:snapshot', update);
      metrics.sectionUpdates.inc({ section: update.section });
      metrics.updateLag.observe(lagMs / 1000);
    });
    this.engine.on('status', (status) => {
      this.emitStatus(status);
      if (cluster) io.serverSideEmit('opsdeck:status', status);
    });
    this.engine.on('missed', (section) => metrics.missedChanges.inc({ section }));
    this.engine.on('read', (_section, ms, ok) => {
      metrics.queryDuration.observe(ms / 1000);
      if (!ok) metrics.sectionErrors.inc({ section: _section });
    });
    for (const id of this.engine.ids()) {
      metrics.sectionHealthy.set({ section: id }, 1);
      metrics.missedChanges.inc({ section: id }, 0);
    }
  }

  private wireCluster(cluster: ClusterRuntime): void {
    const { io } = this.options;
    const announce = () => {
      void cluster.registry.beatNow().then(() => this.nodes.request(CLUSTER_SECTION_ID));
    };
    cluster.lease.on('elected', () => {
      announce();
      void this.lead();
    });
    cluster.lease.on('deposed', () => {
      announce();
      void this.follow();
    });
    // Updates published by the leader (serverSideEmit reaches the other nodes only).
    io.on('opsdeck:snapshot', (update) => {
      if (cluster.store.accept(update)) this.guard.emitUpdate(update);
    });
    io.on('opsdeck:status', (status) => {
      if (cluster.lease.isLeader) return;
      this.engine.setRemoteStatus(status);
      this.emitStatus(status);
    });
    // At start and after a Redis outage, deliver what changed meanwhile (pub/sub messages were
    // lost). Commands need the command connection, so its 'ready' counts too.
    cluster.clients.sub.on('ready', () => void this.resyncFromRedis());
    cluster.clients.command.on('ready', () => void this.resyncFromRedis());
    // Tell clients when the cluster is degraded (and when it is not any more).
    let degraded = false;
    const reason = 'cluster degraded: Redis is unreachable; showing the last data this node has';
    const update = () => {
      const now = !cluster.redisReady;
      if (now === degraded) return;
      degraded = now;
      io.local.emit('server-status', now ? { degraded: true, reason } : { degraded: false });
    };
    for (const client of [cluster.clients.command, cluster.clients.pub, cluster.clients.sub]) {
      client.on('ready', update);
      client.on('close', update);
    }
    io.on('connection', (socket) => {
      if (degraded) socket.emit('server-status', { degraded: true, reason });
    });
  }

  /** Snapshots in Redis newer than this node's; [] (and a retry later) when Redis is not ready. */
  private async refreshFromRedis(): Promise<SectionUpdate[]> {
    const { cluster, log } = this.options;
    if (cluster?.clients.command.status !== 'ready') return []; // its 'ready' event calls again
    try {
      const newer = await cluster.store.refresh(this.engine.ids());
      this.synced = true;
      return newer;
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'could not read snapshots from Redis; retrying');
      setTimeout(() => void this.resyncFromRedis(), 1000).unref();
      return [];
    }
  }

  private async resyncFromRedis(): Promise<void> {
    for (const update of await this.refreshFromRedis()) this.guard.emitUpdate(update);
  }

  private emitStatus(status: SectionStatus): void {
    const { io, metrics } = this.options;
    const room = sectionRoom(status.section);
    io.local.to(room).emit('section-status', status);
    metrics.messagesSent.inc(io.sockets.adapter.rooms.get(room)?.size ?? 0);
    metrics.sectionHealthy.set({ section: status.section }, status.healthy ? 1 : 0);
  }
}

/** Socket-section pairs on this process: the sizes of the section rooms. */
function countSubscriptions(io: OpsdeckIo): number {
  let total = 0;
  for (const [room, members] of io.sockets.adapter.rooms) {
    if (room.startsWith('section:')) total += members.size;
  }
  return total;
}
