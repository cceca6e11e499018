import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { ioredis } from './redisModules.js';

export interface RedisClients {
  /** Commands (lease, snapshots, heartbeats). Fails fast while disconnected: no offline queue. */
  command: Redis;
  /** Socket.IO adapter publisher and subscriber. */
  pub: Redis;
  sub: Redis;
  close(): Promise<void>;
}

/**
 * The Redis connections of one node, each with an error listener: a Redis blip is logged (once per
 * outage) and retried by ioredis, never an uncaught 'error' that would crash the process.
 */
export function createRedisClients(url: string, log: Logger): RedisClients {
  const { Redis } = ioredis();
  const base = {
    lazyConnect: false,
    connectTimeout: 2000,
    // Reconnect quickly at first, then every 2 s at most.
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
  };
  const command = new Redis(url, {
    ...base,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectionName: 'opsdeck-command',
  });
  const pub = new Redis(url, { ...base, connectionName: 'opsdeck-pub' });
  const sub = new Redis(url, { ...base, connectionName: 'opsdeck-sub' });
  for (const [name, client] of Object.entries({ command, pub, sub })) {
    let down = false;
    client.on('error', (error: Error) => {
      if (!down) log.warn({ redis: name, err: error.message }, 'Redis connection error; retrying');
      down = true;
    });
    client.on('ready', () => {
      if (down) log.info({ redis: name }, 'Redis connection restored');
      down = false;
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
