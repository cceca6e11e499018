import { ioredis } from './redisModules.js';

/** One PING over a fresh connection: undefined when Redis answers, else the reason. */
export async function pingRedis(url: string, timeoutMs: number): Promise<string | undefined> {
  const { Redis } = ioredis();
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined); // reported through the rejected promise below
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    redis.disconnect();
  }
}

/** A Redis URL without its password, for output. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis';
  }
}
