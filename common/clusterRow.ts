/**
 * The reserved `$cluster` section's row (docs/socketio.md, "The `$cluster` section"): one server process. Built by the
 * server (server/sections/clusterSection.ts), read by the console (renderer/live/clusterReducer.ts);
 * renaming or retyping a column here fails to compile on both sides.
 */
import type { Column, Row } from './protocol.js';

/** A type alias, not an interface, so that a ClusterRow is a Row (plain JSON object). */
export type ClusterRow = {
  nodeId: string;
  host: string;
  pid: number;
  /** ISO 8601 UTC. */
  startedAt: string;
  leader: boolean;
  clients: number;
  subscriptions: number;
  /** p99 of the event loop delay. */
  eventLoopLagMs: number;
  heapUsedBytes: number;
  rssBytes: number;
  queries: number;
  updatesSent: number;
};

/** The column types a field of this TypeScript type may be declared with. */
type ColumnTypeFor<V> = V extends boolean
  ? 'boolean'
  : V extends number
    ? 'number'
    : 'string' | 'time';

/** Every column of ClusterRow with its wire type, in the order the section lists them. */
const CLUSTER_COLUMN_TYPES = {
  nodeId: 'string',
  host: 'string',
  pid: 'number',
  startedAt: 'time',
  leader: 'boolean',
  clients: 'number',
  subscriptions: 'number',
  eventLoopLagMs: 'number',
  heapUsedBytes: 'number',
  rssBytes: 'number',
  queries: 'number',
  updatesSent: 'number',
} as const satisfies { readonly [K in keyof ClusterRow]: ColumnTypeFor<ClusterRow[K]> };

/** The `$cluster` section's columns. */
export const CLUSTER_COLUMNS: Column[] = Object.entries(CLUSTER_COLUMN_TYPES).map(
  ([name, type]) => ({ name, type }),
);

/**
 * Reads a `$cluster` row as received: undefined without a node id; a missing or mistyped figure
 * reads as 0 (or '' / false), so that one odd node never hides the others.
 */
export function toClusterRow(row: Row): ClusterRow | undefined {
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
