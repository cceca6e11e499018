import type { Row, SectionInfo, SectionStatus, SectionUpdate } from '../../common/protocol.js';
import { CLUSTER_SECTION_ID, isSectionRoom, sectionRoom } from '../../common/protocol.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics/Metrics.js';
import { nodeRow, type NodeCounters } from '../sections/clusterSection.js';
import type { NodeStats } from '../sections/NodeStats.js';
import {
  SectionEngine,
  type SectionEngineOptions,
  type SectionSpec,
} from '../sections/SectionEngine.js';
import type { OpsdeckIo, SectionDirectory } from '../socket/attachProtocol.js';
import { SlowConsumerGuard } from '../socket/SlowConsumerGuard.js';
import type { Watcher } from '../watch/Watcher.js';
import { ClusterTable } from './ClusterTable.js';
import { UpdateBatch } from './UpdateBatch.js';
import type { DeliveryNode, Topology } from './Topology.js';

export interface DeliveryCoreOptions {
  io: OpsdeckIo;
  /** Alone or in a cluster: the only thing that differs between the two. */
  topology: Topology;
  sections: SectionSpec[];
  /** Change feeds, created each time this node starts reading. */
  watchers: (engine: SectionEngine) => Watcher[];
  stats: NodeStats;
  metrics: Metrics;
  log: Logger;
  engineTiming?: Pick<SectionEngineOptions, 'settleMs' | 'minGapMs' | 'backoff'>;
}

/**
 * How a section's rows reach this process's clients: engine -> slow-consumer guard -> rooms. The
 * engine reads when the change feeds say so (only while the topology lets this node lead) and
 * publishes through the topology's store; every new version goes to the local room through the
 * SlowConsumerGuard and to the topology (which tells the other nodes, if any). Versions and
 * statuses from elsewhere come back through `DeliveryNode.deliver` / `relayStatus`.
 */
export class DeliveryCore implements SectionDirectory {
  readonly engine: SectionEngine;
  private readonly nodes: ClusterTable;
  private readonly guard: SlowConsumerGuard;
  private readonly counters: NodeCounters;
  private watchers: Watcher[] = [];
  private liveNodes = 1;

  constructor(private readonly options: DeliveryCoreOptions) {
    const { io, metrics, log, topology } = options;
    this.engine = new SectionEngine({
      specs: options.sections,
      store: topology.store,
      log,
      ...options.engineTiming,
    });
    this.counters = {
      leader: () => topology.isLeader(),
      clients: () => io.sockets.sockets.size,
      subscriptions: () => countSubscriptions(io),
      queries: () => metrics.queryCount(),
      updatesSent: () => metrics.messageCount(),
    };
    this.guard = new SlowConsumerGuard(io, (id) => this.snapshot(id), {
      sent: (n) => metrics.messagesSent.inc(n),
      skipped: (n) => metrics.skippedUpdates.inc(n),
      lagging: (n) => metrics.slowClients.set(n),
    });
    this.nodes = new ClusterTable(
      () => topology.nodeRows(() => this.ownRow()),
      {
        update: (update) => {
          this.liveNodes = Math.max(1, update.rows.length);
          this.guard.emitUpdate(update);
        },
        status: (status) => this.emitStatus(status),
      },
      log,
    );
    this.wireEngine();
  }

  catalog(): SectionInfo[] {
    return [...this.engine.catalog(), this.nodes.spec.info];
  }

  has(id: string): boolean {
    return id === CLUSTER_SECTION_ID || this.engine.has(id);
  }

  snapshot(id: string): SectionUpdate | undefined {
    return id === CLUSTER_SECTION_ID ? this.nodes.snapshot() : this.engine.snapshot(id);
  }

  broadcastVersion(id: string): number {
    return this.guard.broadcastVersion(id);
  }

  status(id: string): SectionStatus | undefined {
    return id === CLUSTER_SECTION_ID ? this.nodes.status() : this.engine.status(id);
  }

  /** Live server processes (1 alone). */
  clusterSize(): number {
    return this.liveNodes;
  }

  start(): void {
    this.engine.setActive(false); // until the topology says this node leads
    this.options.topology.start(this.asNode());
    this.nodes.start();
  }

  /** Stops reading and delivering; the caller closes the topology once Socket.IO is closed. */
  async stop(): Promise<void> {
    this.nodes.stop();
    this.engine.stop();
    await this.follow();
  }

  private asNode(): DeliveryNode {
    return {
      sectionIds: this.engine.ids(),
      ownRow: () => this.ownRow(),
      lead: () => this.lead(),
      follow: () => this.follow(),
      deliver: (update) => void this.guard.emitUpdate(update),
      relayStatus: (status) => {
        this.engine.setRemoteStatus(status);
        this.emitStatus(status);
      },
      refreshNodes: () => this.nodes.request(),
    };
  }

  private ownRow(): Promise<Row> {
    return nodeRow(this.options.stats, this.counters);
  }

  /** Becomes the node that watches and reads. */
  private lead(): void {
    this.options.metrics.isLeader.set(1);
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
    const { metrics, topology } = this.options;
    const batch = new UpdateBatch((updates, lagsMs) => {
      const started = performance.now();
      this.guard.emitUpdates(updates);
      for (const lagMs of lagsMs) metrics.updateLag.observe(lagMs / 1000);
      return performance.now() - started;
    });
    this.engine.on('update', (update, lagMs) => {
      batch.add(update, lagMs);
      topology.published(update);
      metrics.sectionUpdates.inc({ section: update.section });
    });
    this.engine.on('idle', () => batch.flush());
    this.engine.on('status', (status) => {
      this.emitStatus(status);
      topology.statusChanged(status);
    });
    this.engine.on('missed', (section) => metrics.missedChanges.inc({ section }));
    this.engine.on('read', (section, ms, ok) => {
      metrics.queryDuration.observe(ms / 1000);
      if (!ok) metrics.sectionErrors.inc({ section });
    });
    for (const id of this.engine.ids()) {
      metrics.sectionHealthy.set({ section: id }, 1);
      metrics.missedChanges.inc({ section: id }, 0);
    }
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
    if (isSectionRoom(room)) total += members.size;
  }
  return total;
}
