import { toClusterRow } from '../../common/clusterRow.js';
import type { SectionUpdate } from '../../common/protocol.js';
import { counterSample, nextRates, sampleTime } from './clusterRates.js';
import {
  CLUSTER_HISTORY,
  type ClusterNode,
  type ClusterPoint,
  type ClusterState,
} from './state.js';

/**
 * A `$cluster` update: the node list, and one history point per node (capped). Rates are measured
 * on the server's clock, from the update's `queriedAt` (live/clusterRates); `now` (client epoch
 * ms) stamps the points, and stands in for a `queriedAt` that cannot be read.
 */
export function applyClusterUpdate(
  state: ClusterState,
  update: SectionUpdate,
  now: number,
): ClusterState {
  const nodes = update.rows.map(toClusterRow).filter((n): n is ClusterNode => n !== undefined);
  const at = sampleTime(update.queriedAt, now);
  const history: Record<string, ClusterPoint[]> = {};
  const rates: ClusterState['rates'] = {};
  for (const node of nodes) {
    const points = state.history[node.nodeId] ?? [];
    const before = state.rates[node.nodeId];
    const next = nextRates(before?.base, before?.rates, counterSample(node, at));
    rates[node.nodeId] = next;
    const point: ClusterPoint = {
      t: now,
      clients: node.clients,
      eventLoopLagMs: node.eventLoopLagMs,
      heapUsedBytes: node.heapUsedBytes,
      queriesPerSec: next.rates?.queriesPerSec,
      updatesPerSec: next.rates?.updatesPerSec,
    };
    history[node.nodeId] = [...points, point].slice(-CLUSTER_HISTORY);
  }
  return { nodes, history, rates };
}
