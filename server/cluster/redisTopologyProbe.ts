import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { connectRedis, type RedisConnection } from './redisClients.js';
import { permanentRedisProblem } from './redisProblem.js';
import type { RedisTopology } from './redisTopology.js';

export type ProbeResult =
  | { ok: true; redis: RedisConnection; close: () => void }
  | {
      ok: false;
      /** One line: the cause, and for a permanent problem the setting to fix. */
      problem: string;
      /** No retry can fix it (TLS trust, credentials): `serve` refuses to start. */
      permanent: boolean;
    };

/**
 * One connection attempt to the topology, without retries or an offline queue: connected (the
 * caller runs its commands, then `close()`), or why not. The cause is the first error of a node
 * (a TLS or credentials error hides behind ioredis's generic "None of startup nodes is available"
 * for a Redis Cluster, and behind a reconnect loop everywhere else).
 */
export async function probeRedisTopology(
  topology: RedisTopology,
  timeoutMs: number,
): Promise<ProbeResult> {
  const redis = connectRedis(
    topology,
    { connectTimeoutMs: timeoutMs, retry: () => null, offlineQueue: false, name: 'opsdeck-check' },
    { lazyConnect: true },
  );
  const errors: Error[] = [];
  redis.on('error', (error: Error) => errors.push(error));
  redis.on('node error', (error: Error) => errors.push(error));
  const close = () => redis.disconnect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${timeoutMs} ms`)),
          timeoutMs + 500,
        );
      }),
    ]);
    await redis.ping();
    return { ok: true, redis, close };
  } catch (error) {
    close();
    const all = [...errors, error as Error];
    const handshake = await handshakeError(topology, timeoutMs);
    for (const candidate of handshake ? [...all, handshake] : all) {
      const permanent = permanentRedisProblem(candidate, topology);
      if (permanent) return { ok: false, problem: permanent, permanent: true };
    }
    return {
      ok: false,
      problem: describeFailure(all) + resetHint(all, topology),
      permanent: false,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The most telling message: a node's own error beats ioredis's summary of it. */
function describeFailure(errors: Error[]): string {
  const own = errors.find((e) => !/None of startup nodes|Connection is closed/i.test(e.message));
  const chosen = own ?? errors[errors.length - 1];
  const code = (chosen as NodeJS.ErrnoException | undefined)?.code;
  const message = chosen?.message || 'unknown error';
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * With TLS 1.3 a server that wants a client certificate checks it after the handshake and just
 * closes the connection: the client sees a reset, which a restart could also cause. Say so.
 */
function resetHint(errors: Error[], topology: RedisTopology): string {
  const reset = errors.some((e) =>
    /ECONNRESET|socket hang up|Connection is closed/.test(e.message),
  );
  const usesTls =
    topology.tls !== undefined ||
    (topology.kind === 'standalone' && topology.url.startsWith('rediss:'));
  if (!reset || !usesTls || topology.tls?.cert) return '';
  return ' (TLS: Redis may require a client certificate: set cluster.tls.cert and cluster.tls.key)';
}

/**
 * ioredis's Sentinel connector reports a sentinel it could not reach as "Connection is closed",
 * whatever the cause: with TLS, one handshake of our own with the first seed (a sentinel, or a
 * node of a Redis Cluster) recovers the real error (a certificate the CA does not vouch for).
 */
function handshakeError(topology: RedisTopology, timeoutMs: number): Promise<Error | undefined> {
  const tls = topology.tls;
  const seed =
    topology.kind === 'sentinel'
      ? topology.sentinels[0]
      : topology.kind === 'cluster'
        ? topology.nodes[0]
        : undefined;
  if (!tls || !seed) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: seed.host,
      port: seed.port,
      ...(isIP(seed.host) === 0 ? { servername: seed.host } : {}),
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(tls.key ? { key: tls.key } : {}),
    });
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(error);
    };
    const timer = setTimeout(() => done(), timeoutMs);
    socket.once('secureConnect', () => done());
    socket.once('error', (error: Error) => done(error));
  });
}
