/** Redis key names of one cluster; `name` lets several clusters share one Redis. */
export function clusterKeys(name: string) {
  const base = `opsdeck:${name}`;
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
    /** Socket.IO Redis adapter channel prefix. */
    adapter: `${base}:sio`,
  };
}

export type ClusterKeys = ReturnType<typeof clusterKeys>;
