import type { Redis } from 'ioredis';
import type { RedisTopology } from './redisTopology.js';

/**
 * The lease key of Opsdeck before its keys took the hash tag `{name}` (for Redis Cluster): an
 * older node leading the same cluster writes `opsdeck:<name>:leader`, which the new layout never
 * reads. Both would lead, each with its own snapshots, while old and new nodes run side by side.
 */
export function olderLayoutLeaseKey(name: string): string {
  return `opsdeck:${name}:leader`;
}

/**
 * The node id of an older-version node leading cluster `name` (its lease is held now), if any.
 * A Redis Cluster never held the old layout (its scripts could not run there): not asked.
 */
export async function olderLayoutLeader(
  redis: Pick<Redis, 'get'>,
  topology: RedisTopology,
  name: string,
): Promise<string | undefined> {
  if (topology.kind === 'cluster') return undefined;
  const value = await redis.get(olderLayoutLeaseKey(name));
  // `<nodeId>:<epoch>`
  return value === null ? undefined : value.replace(/:\d+$/, '');
}

/** What a node says when it finds one (docs/config.md, "Upgrading a cluster"). */
export function olderLayoutMessage(name: string, nodeId: string): string {
  return (
    `an Opsdeck node of an older version (${nodeId}) leads cluster "${name}": its Redis keys ` +
    `have another layout, so it and this node would both lead. Stop every node of the older ` +
    `version (see "Upgrading a cluster" in docs/config.md)`
  );
}
