import type { Redis } from 'ioredis';
import { clusterKeys } from '../../server/cluster/clusterKeys.js';
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

/** A Redis deployment a test started (a Sentinel set, a Redis Cluster). */
export interface HaRedis {
  stop(): Promise<void>;
}

/**
 * An Opsdeck cluster on a highly available Redis: the deployment (`startRedis`), the fixture
 * database, `nodes` `opsdeck serve` processes whose `cluster` key is `settings(redis)` (plus a
 * random name), and `clientsPerNode` LiveClients on each node, all holding every section.
 */
export class HaCluster<R extends HaRedis> {
  readonly name = randomClusterName();
  readonly clients: LiveClient[] = [];
  private parts: { redis?: R; db?: TestDatabase; cluster?: Cluster } = {};

  constructor(
    private readonly shape: { nodes: number; clientsPerNode: number },
    private readonly startRedis: () => Promise<R>,
    private readonly settings: (redis: R) => object,
  ) {}

  get redis(): R {
    return this.need(this.parts.redis);
  }
  get db(): TestDatabase {
    return this.need(this.parts.db);
  }
  get cluster(): Cluster {
    return this.need(this.parts.cluster);
  }

  async start(): Promise<this> {
    this.parts.redis = await this.startRedis();
    this.parts.db = await createFixtureDatabase();
    const config = {
      // The fixture's configuration, with its `cluster` (a Redis URL) replaced by the topology.
      ...clusterConfig(this.db, 'unused', this.name),
      cluster: { ...this.settings(this.redis), name: this.name },
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
    const { cluster, redis, db } = this.parts;
    this.parts = {};
    await cluster?.stop();
    await redis?.stop();
    await db?.drop();
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
    if (part === undefined) throw new Error('HA cluster: not started');
    return part;
  }
}
