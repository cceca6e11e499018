import type { RedisConnection } from './redisClients.js';
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

/**
 * One PING on a live connection, rejected after `timeoutMs`: a hung Redis (SIGSTOP, a blocked
 * main thread) keeps its TCP connections open and "ready", so only an unanswered command shows it.
 */
export async function pingWithin(redis: RedisConnection, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer PING within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([redis.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RedisWatch {
  /** True from a PING left unanswered for `timeoutMs` until Redis answers again. */
  readonly hung: boolean;
  stop(): void;
}

/**
 * Pings `redis` every `everyMs` (one PING in flight at most) while its connection is ready. When
 * one goes unanswered for `timeoutMs`, `onHung` is called once, and `onAnswered` once Redis
 * answers that PING after all. A connection that is down is left to ioredis's own reconnection.
 */
export function watchRedis(
  redis: RedisConnection,
  timing: { everyMs: number; timeoutMs: number },
  handlers: { onHung: (reason: string) => void; onAnswered: () => void },
): RedisWatch {
  let hung = false;
  let inFlight = false;
  const probe = (): void => {
    if (inFlight || redis.status !== 'ready') return;
    inFlight = true;
    let late: NodeJS.Timeout | undefined = setTimeout(() => {
      late = undefined;
      if (hung) return;
      hung = true;
      handlers.onHung(`Redis did not answer PING within ${timing.timeoutMs} ms`);
    }, timing.timeoutMs);
    redis
      .ping()
      .then(
        () => {
          if (!hung) return;
          hung = false;
          handlers.onAnswered();
        },
        () => undefined, // the connection dropped: ioredis reconnects and says so ('close', 'ready')
      )
      .finally(() => {
        inFlight = false;
        if (late) clearTimeout(late);
      });
  };
  const timer = setInterval(probe, timing.everyMs);
  timer.unref();
  return {
    get hung() {
      return hung;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * Drops a connection at once so that ioredis makes a new one (its 'close', then 'ready' once the
 * server answers the ready check). The socket is destroyed, not ended: a graceful end waits (up
 * to 2 s) for a FIN that a hung server never sends. A Redis Cluster client reconnects its nodes.
 */
export function dropConnection(redis: RedisConnection): void {
  if ('stream' in redis) redis.stream.destroy();
  else redis.disconnect(true);
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
