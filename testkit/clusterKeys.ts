import { Redis } from 'ioredis';

/**
 * Removes every Redis key of a cluster (`opsdeck:{<name>}:*`, SCAN + DEL; the names of
 * server/cluster/clusterKeys.ts), after a test or a benchmark run; returns how many.
 */
export async function deleteClusterKeys(redisUrl: string, name: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `opsdeck:{${name}}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
