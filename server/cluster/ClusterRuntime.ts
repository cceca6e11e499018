import type { ServerOptions } from 'socket.io';
import type { Row } from '../../common/protocol.js';
import type { Logger } from '../log.js';
import { clusterKeys, type ClusterKeys } from './clusterKeys.js';
import { LeaderLease } from './LeaderLease.js';
import { olderLayoutLeader, olderLayoutMessage } from './olderLayoutLeader.js';
import { NodeRegistry } from './NodeRegistry.js';
import { dropConnection, pingWithin, watchRedis, type RedisWatch } from './pingRedis.js';
import { createRedisClients, type RedisClients } from './redisClients.js';
import { redisAdapter } from './redisModules.js';
import { RedisSnapshotStore } from './RedisSnapshotStore.js';
import type { RedisTopology } from './redisTopology.js';

/** Which Redis (a URL, or any topology: Sentinel, Redis Cluster, TLS) and the cluster's name. */
export type ClusterSettings = {
  name: string;
  /** Lease duration (ms); takeover after a leader dies takes at most about this plus a third. */
  leaseTtlMs?: number;
} & ({ redisUrl: string } | { topology: RedisTopology });

/**
 * A hung Redis (SIGSTOP, a blocked main thread) keeps TCP open: the command connection is pinged
 * this often, and a PING unanswered this long counts as an outage (the adapter's connections are
 * dropped, so every node's clients hear `server-status` degraded, and re-made: once Redis answers
 * their ready check again, the nodes resync). Detected at most WATCH_EVERY + WATCH_TIMEOUT after
 * Redis stops answering.
 */
const WATCH_EVERY_MS = 1000;
const WATCH_TIMEOUT_MS = 1500;
/** How long after a Redis Cluster's shard subscribers are set up again their subscriptions hold. */
const SHARD_SUBSCRIBE_MS = 500;

/**
 * What one node needs to take part in a cluster: Redis connections, the Socket.IO Redis adapter,
 * the leader lease, the shared snapshot store and the node registry.
 */
export class ClusterRuntime {
  readonly keys: ClusterKeys;
  readonly clients: RedisClients;
  readonly lease: LeaderLease;
  readonly store: RedisSnapshotStore;
  readonly registry: NodeRegistry;
  readonly topology: RedisTopology;
  private readonly name: string;
  private watch: RedisWatch | undefined;
  private closed = false;

  constructor(
    settings: ClusterSettings,
    nodeId: string,
    private readonly log: Logger,
  ) {
    this.name = settings.name;
    this.keys = clusterKeys(settings.name);
    this.topology =
      'topology' in settings ? settings.topology : { kind: 'standalone', url: settings.redisUrl };
    this.clients = createRedisClients(this.topology, log);
    this.lease = new LeaderLease({
      redis: this.clients.command,
      key: this.keys.lease,
      epochKey: this.keys.epoch,
      nodeId,
      log,
      ...(settings.leaseTtlMs ? { ttlMs: settings.leaseTtlMs } : {}),
    });
    this.store = new RedisSnapshotStore(
      this.clients.command,
      this.keys,
      () => this.lease.currentToken,
    );
    this.registry = new NodeRegistry(this.clients.command, this.keys, nodeId);
  }

  /** The Socket.IO adapter: fan-out and inter-server events over Redis pub/sub. */
  adapter(): NonNullable<ServerOptions['adapter']> {
    const { pub, sub } = this.clients;
    // Redis Cluster: sharded pub/sub (Redis 7), each channel on the shard that owns its slot.
    if (this.topology.kind === 'cluster') {
      return redisAdapter().createShardedAdapter(pub, sub, {
        channelPrefix: this.keys.adapter,
        subscriptionMode: 'static',
      });
    }
    return redisAdapter().createAdapter(pub, sub, { key: this.keys.adapter });
  }

  /**
   * Calls `listener` each time the adapter's subscriber is connected and its subscriptions are in
   * effect, which is when a resync from Redis can no longer miss a message. ioredis says 'ready'
   * before it sends the (re)subscriptions: a PING queued after them answers once Redis has them.
   * A Redis Cluster subscriber has no single order: called at 'ready', and each time its shard
   * subscribers are set up again ('subscribersReady': a primary failed over, and messages sent to
   * the old one were lost). Those subscriptions are sent without waiting for their replies, so it
   * is called again a moment later, when they are in effect; a resync twice costs one read.
   */
  onSubscribed(listener: () => void): void {
    const { sub } = this.clients;
    if (!('stream' in sub)) {
      sub.on('ready', listener);
      sub.on('subscribersReady', () => {
        listener();
        setTimeout(listener, SHARD_SUBSCRIBE_MS).unref();
      });
      return;
    }
    sub.on('ready', () => {
      setImmediate(() => void sub.ping().then(listener, () => undefined));
    });
  }

  /**
   * True while every Redis connection is up. A hung Redis makes this false too: the watch drops
   * the adapter's connections, and new ones are ready only once Redis answers their ready check.
   */
  get redisReady(): boolean {
    const { command, pub, sub } = this.clients;
    return command.status === 'ready' && pub.status === 'ready' && sub.status === 'ready';
  }

  async ping(timeoutMs: number): Promise<void> {
    if (!this.redisReady) throw new Error('cluster degraded: Redis is unreachable');
    await pingWithin(this.clients.command, timeoutMs).catch(() => {
      throw new Error('cluster degraded: Redis did not answer');
    });
  }

  start(row: () => Promise<Row>): void {
    this.registry.start(row);
    void this.startLease();
    const { pub, sub } = this.clients;
    this.watch = watchRedis(
      this.clients.command,
      { everyMs: WATCH_EVERY_MS, timeoutMs: WATCH_TIMEOUT_MS },
      {
        onHung: (reason) => {
          this.log.warn({ reason }, 'Redis hung; reconnecting the adapter');
          // Their 'close' tells the topology (degraded); their 'ready', once Redis answers the
          // ready check of the new connection, that it may resync. The command connection stays:
          // replies to the lease commands it sent still arrive.
          dropConnection(pub);
          dropConnection(sub);
        },
        onAnswered: () => this.log.info('Redis answers again'),
      },
    );
  }

  /**
   * Runs for the lease once no node of an older version leads this cluster under the old key
   * layout (it would not see this node's lease, nor this node its): until then this node follows,
   * and says why once. Otherwise one GET, once Redis is ready, before the first attempt.
   */
  private async startLease(): Promise<void> {
    let told = false;
    while (!this.closed) {
      // The command connection queues nothing while it is down: ask once it is ready.
      const { command } = this.clients;
      if (command.status !== 'ready') {
        // Ready, or ended by close(): either way the loop looks again.
        await new Promise<void>((resolve) => {
          const done = (): void => {
            command.off('ready', done).off('end', done);
            resolve();
          };
          command.once('ready', done).once('end', done);
        });
        continue;
      }
      const older = await Promise.race([
        olderLayoutLeader(command, this.topology, this.name).catch(() => undefined),
        new Promise<undefined>((resolve) =>
          setTimeout(() => resolve(undefined), WATCH_TIMEOUT_MS).unref(),
        ),
      ]);
      if (older === undefined) break;
      if (!told) this.log.error({ olderNode: older }, olderLayoutMessage(this.name, older));
      told = true;
      await new Promise((resolve) => setTimeout(resolve, WATCH_EVERY_MS).unref());
    }
    if (this.closed) return;
    if (told) this.log.warn('the older-version leader is gone; this node takes part in the lease');
    this.lease.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watch?.stop();
    await this.lease.stop();
    await this.registry.stop();
    await this.clients.close();
  }
}
