import { randomBytes } from 'node:crypto';
import { clusterKeys, type ClusterKeys } from '../cluster/clusterKeys.js';
import { LeaderLease } from '../cluster/LeaderLease.js';
import type { RedisConnection } from '../cluster/redisClients.js';
import { RedisSnapshotStore } from '../cluster/RedisSnapshotStore.js';
import { silentLogger } from '../log.js';

type Out = (line: string) => void;

/**
 * Runs the cluster's own Lua scripts once, on keys of their own in the cluster's slot
 * (`opsdeck:{name}:check-<random>:*`, deleted after): the lease is acquired, a snapshot is
 * published with its token and refused with another one (fencing), the lease is released. Returns the FAIL
 * count. What it proves: scripting is allowed (EVAL, ACLs) and the keys of one script share a
 * slot (no CROSSSLOT in a Redis Cluster).
 */
export async function checkRedisScripts(
  redis: RedisConnection,
  name: string,
  timeoutMs: number,
  out: Out,
): Promise<number> {
  const keys = clusterKeys(name, `check-${randomBytes(4).toString('hex')}`);
  const lease = new LeaderLease({
    redis,
    key: keys.lease,
    epochKey: keys.epoch,
    nodeId: 'opsdeck-check',
    log: silentLogger(),
    ttlMs: Math.max(timeoutMs, 3000),
  });
  let failures = 0;
  try {
    // An epoch to count from: without one the script parks the lease (Redis restarted empty).
    await redis.set(keys.epoch, '0', 'PX', 60_000);
    const token = await acquire(lease, timeoutMs);
    if (!token) {
      out(
        `  FAIL  lease script: no lease within ${timeoutMs} ms: ${await scriptProblem(redis, keys)}`,
      );
      return 1;
    }
    out('  ok    lease script (acquire with a fencing token)');
    const section = 'check';
    const input = {
      section,
      result: {
        rows: [{ ok: 1 }],
        columns: [{ name: 'ok', type: 'number' as const }],
        truncated: false,
      },
      hash: 'check',
      changedAt: Date.now(),
      queriedAt: Date.now(),
    };
    const published = await new RedisSnapshotStore(redis, keys, () => token).publish(input);
    const fenced = await new RedisSnapshotStore(redis, keys, () => 'another-node:0').publish({
      ...input,
      hash: 'other',
    });
    if (published.kind !== 'published') {
      failures += 1;
      out(`  FAIL  snapshot script: the lease holder's publish was ${published.kind}`);
    } else if (fenced.kind !== 'fenced') {
      failures += 1;
      out(`  FAIL  snapshot script: a publish without the lease was ${fenced.kind}, not fenced`);
    } else out('  ok    snapshot script (versioned publish, fenced without the lease)');
    await lease.stop(); // the release script: the lease is handed over at once on shutdown
    if ((await redis.get(keys.lease)) !== null) {
      failures += 1;
      out('  FAIL  lease script: the release left the lease in place');
    } else out('  ok    lease release script');
  } catch (error) {
    failures += 1;
    out(`  FAIL  cluster scripts: ${(error as Error).message}`);
  } finally {
    await lease.stop();
    await redis.del(keys.lease, keys.epoch, keys.snapshot('check')).catch(() => undefined);
  }
  return failures;
}

function acquire(lease: LeaderLease, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    lease.once('elected', (token) => {
      clearTimeout(timer);
      resolve(token);
    });
    lease.start();
  });
}

/** Why the lease script did not run: the error of a script over the same two keys. */
async function scriptProblem(redis: RedisConnection, keys: ClusterKeys): Promise<string> {
  try {
    await redis.eval("return redis.call('EXISTS', KEYS[1], KEYS[2])", 2, keys.lease, keys.epoch);
    return 'Redis answers scripts, but the lease was not granted';
  } catch (error) {
    return (error as Error).message;
  }
}
