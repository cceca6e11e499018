/**
 * Redis key names of one cluster; `name` lets several clusters share one Redis. Every key carries
 * the hash tag `{name}`, so in a Redis Cluster they all live in one slot: each Lua script (lease,
 * fenced publish) and each MULTI (heartbeats) touches keys of that one slot, as Redis Cluster
 * requires. `scope` makes a separate set of keys in the same slot (`opsdeck check`'s trial run).
 */
export function clusterKeys(name: string, scope?: string) {
  const base = `opsdeck:{${name}}${scope ? `:${scope}` : ''}`;
  return {
    /** Leader lease: value `<nodeId>:<epoch>`, with a TTL. */
    lease: `${base}:leader`,
    /** Fencing epoch, incremented at every acquisition. */
    epoch: `${base}:epoch`,
    /** Hash per section: version, hash, body (JSON of the rest of the update). */
    snapshot: (section: string) => `${base}:snapshot:${section}`,
    /** Live nodes: sorted set of nodeId by last heartbeat (epoch ms)... */
    seen: `${base}:nodes:seen`,
    /** ...and each node's `$cluster` row, expiring on its own. */
    node: (nodeId: string) => `${base}:node:${nodeId}`,
    /** Socket.IO Redis adapter channel prefix (sharded pub/sub: channels hash like keys). */
    adapter: `${base}:sio`,
  };
}

export type ClusterKeys = ReturnType<typeof clusterKeys>;
