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
  const nodes = update.rows.map(toNode).filter((n): n is ClusterNode => n !== undefined);
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

function toNode(row: Record<string, unknown>): ClusterNode | undefined {
  if (typeof row.nodeId !== 'string') return undefined;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    nodeId: row.nodeId,
    host: typeof row.host === 'string' ? row.host : '',
    pid: num(row.pid),
    startedAt: typeof row.startedAt === 'string' ? row.startedAt : '',
    leader: row.leader === true,
    clients: num(row.clients),
    subscriptions: num(row.subscriptions),
    eventLoopLagMs: num(row.eventLoopLagMs),
    heapUsedBytes: num(row.heapUsedBytes),
    rssBytes: num(row.rssBytes),
    queries: num(row.queries),
    updatesSent: num(row.updatesSent),
  };
}
