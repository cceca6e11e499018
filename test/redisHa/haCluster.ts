import type { Redis } from 'ioredis';
import { clusterKeys } from '../../server/cluster/clusterKeys.js';
import { startSentinelSet, type SentinelSet } from '../../testkit/redisSentinel.js';
import { waitFor } from '../helpers/client.js';
import type { TestDatabase } from '../helpers/services.js';
import {
  clusterConfig,
  createFixtureDatabase,
  randomClusterName,
  SECTION_IDS,
} from '../cluster/helpers/fixture.js';
import { LiveClient } from '../cluster/helpers/liveClient.js';
import {
  leaderFlags,
  startCluster,
  waitForLeader,
  type Cluster,
} from '../cluster/helpers/nodes.js';

/** Readiness, not a bound under test: the first election on a loaded machine. */
const READY_MS = 30_000;

/**
 * A Sentinel-backed Opsdeck cluster: a Sentinel set (1 primary, 1 replica, 3 sentinels), the
 * fixture database, `nodes` `opsdeck serve` processes configured with `cluster.sentinels`, and
 * `clientsPerNode` LiveClients on each node, all holding every section.
 */
export class SentinelCluster {
  readonly name = randomClusterName();
  private parts: { set?: SentinelSet; db?: TestDatabase; cluster?: Cluster } = {};
  readonly clients: LiveClient[] = [];

  constructor(private readonly shape: { nodes: number; clientsPerNode: number }) {}

  get set(): SentinelSet {
    return this.need(this.parts.set);
  }
  get db(): TestDatabase {
    return this.need(this.parts.db);
  }
  get cluster(): Cluster {
    return this.need(this.parts.cluster);
  }

  async start(): Promise<this> {
    this.parts.set = await startSentinelSet({ downAfterMs: 1000, failoverTimeoutMs: 5000 });
    this.parts.db = await createFixtureDatabase();
    const config = {
      ...clusterConfig(this.db, 'unused', this.name),
      cluster: { sentinels: this.set.addresses, sentinelName: this.set.name, name: this.name },
    };
    this.parts.cluster = await startCluster(this.shape.nodes, config);
    await waitForLeader(this.cluster.nodes, READY_MS);
    for (const node of this.cluster.nodes) {
      for (let i = 0; i < this.shape.clientsPerNode; i++) {
        this.clients.push(
          await LiveClient.open(`node${node.index}-client${i}`, node.url, SECTION_IDS),
        );
      }
    }
    await waitFor(
      'initial snapshots on every client',
      () => this.clients.every((c) => SECTION_IDS.every((s) => c.latest(s))),
      READY_MS,
    );
    return this;
  }

  async stop(): Promise<void> {
    for (const client of this.clients) client.close();
    const { cluster, set, db } = this.parts;
    this.parts = {};
    await cluster?.stop();
    await set?.stop();
    await db?.drop();
  }

  /** A connection to the data node the sentinels name as primary now. */
  async primary(): Promise<Redis> {
    const port = await this.set.primaryPort();
    if (port === undefined) throw new Error('the sentinels name no primary');
    return this.set.node(port).connect();
  }

  /**
   * Waits until the sentinels name a primary other than `oldPort` (the failover finished);
   * resolves with its port.
   */
  async promoted(oldPort: number, timeoutMs = 60_000): Promise<number> {
    return waitFor(
      'the sentinels to promote the replica',
      async () => {
        const port = await this.set.primaryPort();
        return port !== undefined && port !== oldPort && port;
      },
      timeoutMs,
      50,
    );
  }

  /**
   * Waits until the node holding the lease stored on the current primary says it is the leader
   * (`opsdeck_is_leader 1`): the cluster leads again, on the promoted Redis. Returns its token.
   */
  async leaderOnPrimary(redis: Redis, timeoutMs: number): Promise<string> {
    const lease = clusterKeys(this.name).lease;
    return waitFor(
      'a leader whose lease is on the promoted primary',
      async () => {
        const token = await redis.get(lease).catch(() => null);
        if (!token || token === 'parked') return false;
        const live = this.cluster.live();
        const flags = await leaderFlags(live);
        const holder = live.findIndex((n) => token.startsWith(`${n.nodeId}:`));
        return holder >= 0 && flags[holder] === 1 && token;
      },
      timeoutMs,
      50,
    );
  }

  private need<T>(part: T | undefined): T {
    if (part === undefined) throw new Error('sentinel cluster: not started');
    return part;
  }
}
