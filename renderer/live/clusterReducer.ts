import { toClusterRow } from '../../common/clusterRow.js';
import type { SectionUpdate } from '../../common/protocol.js';
import {
  CLUSTER_HISTORY,
  type ClusterNode,
  type ClusterPoint,
  type ClusterState,
} from './state.js';

/** A `$cluster` update: the node list, and one history point per node (capped). */
export function applyClusterUpdate(
  state: ClusterState,
  update: SectionUpdate,
  now: number,
): ClusterState {
  const nodes = update.rows.map(toClusterRow).filter((n): n is ClusterNode => n !== undefined);
  const previous = new Map(state.nodes.map((n) => [n.nodeId, n]));
  const history: Record<string, ClusterPoint[]> = {};
  for (const node of nodes) {
    const points = state.history[node.nodeId] ?? [];
    const last = points.at(-1);
    const before = previous.get(node.nodeId);
    const seconds = last ? Math.max((now - last.t) / 1000, 0.001) : 0;
    const point: ClusterPoint = {
      t: now,
      clients: node.clients,
      eventLoopLagMs: node.eventLoopLagMs,
      heapUsedBytes: node.heapUsedBytes,
      queriesPerSec: before && seconds ? Math.max(0, node.queries - before.queries) / seconds : 0,
      updatesPerSec:
        before && seconds ? Math.max(0, node.updatesSent - before.updatesSent) / seconds : 0,
    };
    history[node.nodeId] = [...points, point].slice(-CLUSTER_HISTORY);
  }
  return { nodes, history };
}
