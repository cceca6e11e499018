import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { clusterKeys } from '../../server/cluster/clusterKeys.js';
import { waitFor } from '../helpers/client.js';
import type { TestDatabase } from '../helpers/services.js';
import {
  clusterConfig,
  createFixtureDatabase,
  insertEvent,
  randomClusterName,
  SECTION_IDS,
} from '../cluster/helpers/fixture.js';
import { allHaveEvent, LiveClient } from '../cluster/helpers/liveClient.js';
import {
  leaderFlags,
  startCluster,
  waitForLeader,
  type Cluster,
} from '../cluster/helpers/nodes.js';

/** Readiness, not a bound under test: the first election on a loaded machine. */
const READY_MS = 30_000;
/** Waits for delivery on a loaded machine (readiness, not a bound under test). */
export const DELIVERY_MS = 30_000;
/** The bound of the issue: one leader again within the Redis failover time + 5 s. */
export const LEADER_AFTER_PROMOTION_MS = 5000;

/** When a failover test killed the primary and when Redis had promoted its replica. */
export interface FailoverTimes {
  killedAt: number;
  promotedAt: number;
}

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

  /** start(), then one event (`label`) committed and seen by every client. */
  async startWarm(label: string): Promise<this> {
    await this.start();
    const first = await insertEvent(this.db, 'warm-up');
    await waitFor(label, () => allHaveEvent(this.clients, first), DELIVERY_MS);
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

  /**
   * After a failover (`what` names it in the log line): one leader again on `promoted` within
   * LEADER_AFTER_PROMOTION_MS of the promotion; the event `during` (committed while Redis had no
   * primary) and one committed now reach every client.
   */
  async expectRecovered(
    what: string,
    promoted: Redis,
    times: FailoverTimes,
    during: number,
  ): Promise<void> {
    await this.leaderOnPrimary(promoted, LEADER_AFTER_PROMOTION_MS + DELIVERY_MS);
    const leaderAt = Date.now();
    console.info(
      `${what}: replica promoted ${times.promotedAt - times.killedAt} ms after kill -9, ` +
        `one leader again ${leaderAt - times.promotedAt} ms after the promotion`,
    );
    expect(leaderAt - times.promotedAt).toBeLessThan(LEADER_AFTER_PROMOTION_MS);
    await waitFor(
      'the change made during the failover, on every client',
      () => allHaveEvent(this.clients, during),
      DELIVERY_MS,
    );
    const after = await insertEvent(this.db, 'after the failover');
    await waitFor(
      'the change made after the failover, on every client',
      () => allHaveEvent(this.clients, after),
      DELIVERY_MS,
    );
  }

  /**
   * Never two leaders at once in `sampler`'s rounds, no client saw a version twice or go back,
   * and every client ends at the same `events` version.
   */
  expectOneLeaderInOrder(sampler: { overlaps(): unknown[] }): void {
    expect(sampler.overlaps()).toEqual([]);
    const latest = this.clients[0]!.latest('events')!.version;
    for (const client of this.clients) {
      expect(client.monotonicityViolations()).toEqual([]);
      expect(client.latest('events')?.version).toBe(latest);
    }
  }

  private need<T>(part: T | undefined): T {
    if (part === undefined) throw new Error('HA cluster: not started');
    return part;
  }
}
