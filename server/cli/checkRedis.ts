import type { Cluster, Redis } from 'ioredis';
import type { RedisConnection } from '../cluster/redisClients.js';
import {
  describeTopology,
  formatHostPort,
  redisTopology,
  RedisTlsFileError,
  type RedisTopology,
  type TopologySettings,
} from '../cluster/redisTopology.js';
import { probeRedisTopology } from '../cluster/redisTopologyProbe.js';
import { checkRedisScripts } from './checkRedisScripts.js';

type Out = (line: string) => void;

/**
 * `opsdeck check`'s Redis lines: the topology found (one server, the primary the sentinels name,
 * or the cluster's shards), the Redis version, an eviction policy that could drop Opsdeck's keys,
 * and a trial run of the lease and snapshot scripts. Returns the FAIL count.
 */
export async function checkRedis(
  settings: TopologySettings & { name: string },
  baseDir: string,
  timeoutMs: number,
  out: Out,
): Promise<number> {
  let topology: RedisTopology;
  try {
    topology = redisTopology(settings, baseDir);
  } catch (error) {
    if (!(error instanceof RedisTlsFileError)) throw error;
    out(`redis: FAIL  ${error.message}`);
    return 1;
  }
  out(`redis: ${describeTopology(topology)}`);
  const started = Date.now();
  const probe = await probeRedisTopology(topology, timeoutMs);
  if (!probe.ok) {
    out(`  FAIL  ${probe.problem}`);
    return 1;
  }
  let failures = 0;
  try {
    const info = await probe.redis.info('server');
    const version = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
    const found = await foundTopology(probe.redis, topology);
    out(`  ok    ${found}, Redis ${version} (${Date.now() - started} ms)`);
    if (topology.kind === 'cluster' && Number(version.split('.')[0]) < 7) {
      failures += 1;
      out('  FAIL  a Redis Cluster needs Redis 7 or newer (the adapter uses sharded pub/sub)');
    }
    failures += await checkEviction(probe.redis, out);
    failures += await checkRedisScripts(probe.redis, settings.name, timeoutMs, out);
  } catch (error) {
    failures += 1;
    out(`  FAIL  ${(error as Error).message}`);
  } finally {
    probe.close();
  }
  return failures;
}

async function foundTopology(redis: RedisConnection, topology: RedisTopology): Promise<string> {
  if (topology.kind === 'cluster') {
    const cluster = redis as Cluster;
    const state = /cluster_state:(\w+)/.exec(await cluster.cluster('INFO'))?.[1] ?? 'unknown';
    // CLUSTER NODES, not ioredis's node list: ioredis connects to replicas only to read from them.
    const nodes = String(await cluster.cluster('NODES'))
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    const flags = (node: string[]) => (node[2] ?? '').split(',');
    const failing = nodes.filter((n) => flags(n).some((f) => f === 'fail' || f === 'fail?'));
    const live = nodes.filter((n) => !failing.includes(n));
    // A primary serves slots (fields after the 8th); a demoted or empty one does not count.
    const primaries = live.filter((n) => flags(n).includes('master') && n.length > 8).length;
    const replicas = live.filter((n) => flags(n).includes('slave')).length;
    const down = failing.length > 0 ? `, ${failing.length} failing` : '';
    if (state !== 'ok') throw new Error(`cluster_state is ${state}: some slots have no primary`);
    return `Redis Cluster: ${primaries} primaries, ${replicas} replicas${down}, cluster_state ok`;
  }
  const stream = (redis as Redis).stream;
  const at =
    stream.remoteAddress !== undefined && stream.remotePort !== undefined
      ? formatHostPort({ host: stream.remoteAddress, port: stream.remotePort })
      : 'unknown address';
  const role = ((await (redis as Redis).call('ROLE')) as unknown[])[0];
  if (topology.kind === 'sentinel')
    return `primary ${at} (named by the sentinels), role ${String(role)}`;
  return `connected to ${at}, role ${String(role)}`;
}

/**
 * Opsdeck's keys must not be evicted under memory pressure: `allkeys-*` may drop a snapshot or
 * the fencing epoch. noeviction (the default) and volatile-* (only keys with a TTL: the lease and
 * the heartbeats, which are re-made at once) are fine. CONFIG may be disabled (managed Redis).
 */
async function checkEviction(redis: RedisConnection, out: Out): Promise<number> {
  let policy: string | undefined;
  try {
    const reply: unknown = await redis.config('GET', 'maxmemory-policy');
    policy = Array.isArray(reply) ? String(reply[1]) : undefined;
  } catch {
    out(
      '  note  cannot read maxmemory-policy (CONFIG refused): it must be noeviction or volatile-*',
    );
    return 0;
  }
  if (policy?.startsWith('allkeys-')) {
    out(
      `  FAIL  maxmemory-policy ${policy} may evict Opsdeck's snapshots and fencing epoch: set noeviction (or volatile-lru)`,
    );
    return 1;
  }
  out(`  ok    maxmemory-policy ${policy ?? 'unknown'}`);
  return 0;
}
