import type { createAdapter } from '@socket.io/redis-adapter';
import type { Row } from '../../common/protocol.js';
import type { Logger } from '../log.js';
import { clusterKeys, type ClusterKeys } from './clusterKeys.js';
import { LeaderLease } from './LeaderLease.js';
import { NodeRegistry } from './NodeRegistry.js';
import { createRedisClients, type RedisClients } from './redisClients.js';
import { redisAdapter } from './redisModules.js';
import { RedisSnapshotStore } from './RedisSnapshotStore.js';

export interface ClusterSettings {
  redisUrl: string;
  name: string;
  /** Lease duration (ms); takeover after a leader dies takes at most about this plus a third. */
  leaseTtlMs?: number;
}

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

  constructor(settings: ClusterSettings, nodeId: string, log: Logger) {
    this.keys = clusterKeys(settings.name);
    this.clients = createRedisClients(settings.redisUrl, log);
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
  adapter(): ReturnType<typeof createAdapter> {
    return redisAdapter().createAdapter(this.clients.pub, this.clients.sub, {
      key: this.keys.adapter,
    });
  }

  /** True while every Redis connection is up. */
  get redisReady(): boolean {
    const { command, pub, sub } = this.clients;
    return command.status === 'ready' && pub.status === 'ready' && sub.status === 'ready';
  }

  async ping(timeoutMs: number): Promise<void> {
    if (!this.redisReady) throw new Error('cluster degraded: Redis is unreachable');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('cluster degraded: Redis did not answer')),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.clients.command.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  start(row: () => Promise<Row>): void {
    this.registry.start(row);
    this.lease.start();
  }

  async close(): Promise<void> {
    await this.lease.stop();
    await this.registry.stop();
    await this.clients.close();
  }
}
