import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import type { Logger } from '../log.js';
import { ioredis } from './redisModules.js';
import { permanentRedisProblem } from './redisProblem.js';
import type { RedisTopology } from './redisTopology.js';

/** One connection: to one server (also when found through Sentinel) or to a Redis Cluster. */
export type RedisConnection = Redis | Cluster;

export interface RedisClients {
  /** Commands (lease, snapshots, heartbeats). Fails fast while disconnected: no offline queue. */
  command: RedisConnection;
  /** Socket.IO adapter publisher and subscriber. */
  pub: RedisConnection;
  sub: RedisConnection;
  close(): Promise<void>;
}

/** What every connection of a node shares: fast reconnects, short connect timeout. */
export interface ConnectionTuning {
  connectTimeoutMs: number;
  /** Delay before reconnect attempt `times` (1, 2, ...); null stops reconnecting. */
  retry: (times: number) => number | null;
  /** false: a command fails at once while disconnected (the command connection, check). */
  offlineQueue: boolean;
  name: string;
}

// Reconnect quickly at first, then every 2 s at most.
const NODE_RETRY = (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000);

/**
 * The Redis connections of one node, each with an error listener: a Redis blip is logged (once per
 * outage) and retried by ioredis, never an uncaught 'error' that would crash the process. A
 * problem no retry can fix (TLS certificate, credentials) is logged as an error with its cause.
 */
export function createRedisClients(topology: RedisTopology, log: Logger): RedisClients {
  const tuning = (name: string, offlineQueue: boolean): ConnectionTuning => ({
    connectTimeoutMs: 2000,
    retry: NODE_RETRY,
    offlineQueue,
    name,
  });
  const command = connectRedis(topology, tuning('opsdeck-command', false));
  const pub = connectRedis(topology, tuning('opsdeck-pub', true));
  // The sharded adapter (Redis Cluster) subscribes on the node that owns each channel's slot.
  const sub = connectRedis(topology, tuning('opsdeck-sub', true), { shardedSubscribers: true });
  for (const [name, client] of Object.entries({ command, pub, sub })) {
    let down = false;
    let refused: string | undefined; // said once per outage, like the blip below
    client.on('error', (error: Error) => {
      const permanent = permanentRedisProblem(error, topology);
      if (permanent && permanent !== refused) {
        log.error({ redis: name, err: permanent }, 'Redis refuses this node; retrying');
      } else if (!permanent && !down) {
        log.warn({ redis: name, err: error.message }, 'Redis connection error; retrying');
      }
      refused = permanent ?? refused;
      down = true;
    });
    client.on('ready', () => {
      if (down) log.info({ redis: name }, 'Redis connection restored');
      down = false;
      refused = undefined;
    });
  }
  return {
    command,
    pub,
    sub,
    async close() {
      await Promise.allSettled([command.quit(), pub.quit(), sub.quit()]);
      command.disconnect();
      pub.disconnect();
      sub.disconnect();
    },
  };
}

/**
 * One ioredis connection for the topology: `Redis` for one server or a Sentinel set (ioredis asks
 * the sentinels for the primary and reconnects to the promoted one after a failover), `Cluster`
 * for a Redis Cluster (ioredis follows MOVED and the slot map).
 */
export function connectRedis(
  topology: RedisTopology,
  tuning: ConnectionTuning,
  extra: { shardedSubscribers?: boolean; lazyConnect?: boolean } = {},
): RedisConnection {
  const { Redis, Cluster } = ioredis();
  const tls = tlsOptions(topology);
  const node: RedisOptions = {
    lazyConnect: extra.lazyConnect ?? false,
    connectTimeout: tuning.connectTimeoutMs,
    connectionName: tuning.name,
    enableOfflineQueue: tuning.offlineQueue,
    ...(tuning.offlineQueue ? {} : { maxRetriesPerRequest: 0 }),
    ...(tls ? { tls } : {}),
  };
  switch (topology.kind) {
    case 'standalone':
      return new Redis(topology.url, { ...node, retryStrategy: tuning.retry });
    case 'sentinel':
      return new Redis({
        ...node,
        retryStrategy: tuning.retry,
        sentinels: topology.sentinels,
        name: topology.name,
        role: 'master',
        ...credentials(topology),
        ...(topology.sentinelPassword !== undefined
          ? { sentinelPassword: topology.sentinelPassword }
          : {}),
        ...(tls ? { enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
        sentinelRetryStrategy: tuning.retry,
        // Subscribes to the sentinels' +switch-master: reconnect as soon as they promote a replica.
        failoverDetector: true,
      });
    case 'cluster': {
      const options: ClusterOptions = {
        lazyConnect: extra.lazyConnect ?? false,
        enableOfflineQueue: tuning.offlineQueue,
        ...(tuning.offlineQueue ? {} : { maxRedirections: 16 }),
        clusterRetryStrategy: tuning.retry,
        // Ask for the slot map every second: a promoted replica is found within about a second,
        // not only once a command happens to be answered MOVED.
        slotsRefreshInterval: 1000,
        redisOptions: {
          connectTimeout: tuning.connectTimeoutMs,
          connectionName: tuning.name,
          ...(tuning.offlineQueue ? {} : { maxRetriesPerRequest: 0 }),
          ...credentials(topology),
          ...(tls ? { tls } : {}),
        },
        ...(extra.shardedSubscribers ? { shardedSubscribers: true } : {}),
      };
      return new Cluster(topology.nodes, options);
    }
  }
}

function credentials(topology: { username?: string; password?: string }) {
  return {
    ...(topology.username !== undefined ? { username: topology.username } : {}),
    ...(topology.password !== undefined ? { password: topology.password } : {}),
  };
}

function tlsOptions(topology: RedisTopology): ConnectionOptions | undefined {
  const tls = topology.tls;
  if (!tls) return undefined;
  return {
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
  };
}
