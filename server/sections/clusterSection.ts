import type { QueryResult } from '../sources/DataSource.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
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

/**
 * The reserved `$cluster` section: one row per server process. On a single server that is this
 * process; a cluster replaces read() with the live nodes' heartbeats.
 */
export function clusterSection(stats: NodeStats, counters: NodeCounters): SectionSpec {
  return {
    info: {
      id: CLUSTER_SECTION_ID,
      title: 'Server nodes',
      view: { type: 'table' },
      mode: 'poll',
      intervalMs: CLUSTER_REFRESH_MS,
    },
    tables: [],
    async read(): Promise<QueryResult> {
      const s = stats.sample();
      const row = {
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
      return { rows: [row], columns: CLUSTER_COLUMNS, truncated: false };
    },
  };
}

const CLUSTER_COLUMNS: QueryResult['columns'] = [
  { name: 'nodeId', type: 'string' },
  { name: 'host', type: 'string' },
  { name: 'pid', type: 'number' },
  { name: 'startedAt', type: 'time' },
  { name: 'leader', type: 'boolean' },
  { name: 'clients', type: 'number' },
  { name: 'subscriptions', type: 'number' },
  { name: 'eventLoopLagMs', type: 'number' },
  { name: 'heapUsedBytes', type: 'number' },
  { name: 'rssBytes', type: 'number' },
  { name: 'queries', type: 'number' },
  { name: 'updatesSent', type: 'number' },
];
