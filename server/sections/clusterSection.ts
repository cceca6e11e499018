import { CLUSTER_COLUMNS, type ClusterRow } from '../../common/clusterRow.js';
import type { Row } from '../../common/protocol.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import type { QueryResult } from '../sources/DataSource.js';
import type { NodeStats } from './NodeStats.js';
import type { SectionSpec } from './SectionEngine.js';

export interface NodeCounters {
  leader: () => boolean;
  clients: () => number;
  subscriptions: () => number;
  queries: () => Promise<number>;
  updatesSent: () => Promise<number>;
}

export const CLUSTER_REFRESH_MS = 2000;

/** This process's `$cluster` row (its columns: common/clusterRow.ts). */
export async function nodeRow(stats: NodeStats, counters: NodeCounters): Promise<ClusterRow> {
  const s = stats.sample();
  return {
    nodeId: s.nodeId,
    host: s.host,
    pid: s.pid,
    startedAt: s.startedAt,
    leader: counters.leader(),
    clients: counters.clients(),
    subscriptions: counters.subscriptions(),
    eventLoopLagMs: s.eventLoopLagMs,
    heapUsedBytes: s.heapUsedBytes,
    rssBytes: s.rssBytes,
    queries: await counters.queries(),
    updatesSent: await counters.updatesSent(),
  };
}

/**
 * The reserved `$cluster` section: one row per server process. Each node computes it for its own
 * clients: from its own row on a single server, from the live nodes' heartbeats in a cluster.
 */
export function clusterSection(rows: () => Promise<Row[]>): SectionSpec {
  return {
    info: {
      id: CLUSTER_SECTION_ID,
      title: 'Server nodes',
      view: { type: 'table' },
      mode: 'poll',
      intervalMs: CLUSTER_REFRESH_MS,
    },
    async read(): Promise<QueryResult> {
      return { rows: await rows(), columns: CLUSTER_COLUMNS, truncated: false };
    },
  };
}
