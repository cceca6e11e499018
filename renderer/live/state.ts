/**
 * The console's client state, as immutable snapshots held in Stores (socket -> store -> hooks ->
 * components). Plain TypeScript: no React, no DOM.
 */
import type { DashboardInfo } from '../../common/alerts.js';
import type { ClusterRow } from '../../common/clusterRow.js';
import type { ConnectionPhase } from '../../common/connectionPhase.js';
import type {
  SectionInfo,
  SectionStatus,
  SectionUpdate,
  ServerInfo,
} from '../../common/protocol.js';
import type { ChangeLogEntry } from './changeLog.js';
import type { CounterSample, NodeRates } from './clusterRates.js';
import type { KpiHistory } from './kpiHistory.js';
import type { RowDiff } from './rowDiff.js';

export type { ConnectionPhase } from '../../common/connectionPhase.js';

/** Where the console connects: a saved profile or the built-in entry. */
export interface ConnectTarget {
  /** Profile id, for the connect dialog. */
  id: string;
  name: string;
  url: string;
  token?: string;
}

export interface ConnectionState {
  phase: ConnectionPhase;
  target?: ConnectTarget | undefined;
  /** Attempts since the last successful connection (1 = the first retry). */
  attempt: number;
  /** Epoch ms of the next automatic attempt, while retrying. */
  nextRetryAt?: number | undefined;
  /** Epoch ms since when the console has had no live connection (undefined while connected). */
  disconnectedSince?: number | undefined;
  /** What went wrong last, in words for people. */
  lastError?: string | undefined;
  /** The server said it was shutting down (a restart, usually). */
  serverShutdown?: boolean | undefined;
  server?: ServerInfo | undefined;
  /** The server's cluster is degraded (Redis unreachable): data may be stale. */
  degraded?: string | undefined;
  /** Round-trip time of the last ping. */
  rttMs?: number | undefined;
  /** serverClock - clientClock, estimated from pings; used to show "updated 12 s ago" right. */
  clockOffsetMs: number;
}

export interface SectionView {
  info: SectionInfo;
  update?: SectionUpdate;
  /**
   * The last update whose rows differ from `update`'s, for "change since the previous update" on
   * stat tiles. Kept across reconnects, so the first update after an outage compares with the
   * last value seen before it.
   */
  previous?: SectionUpdate;
  status?: SectionStatus;
  /** Client epoch ms when `update` arrived. */
  receivedAt?: number;
  /** Keys (see rowKey) of rows that are new or changed in `update` compared with `previous`. */
  changedRowKeys: string[];
  /**
   * What `update` changed compared with the version the console held before it, rows matched by
   * `view.key` or the first column (live/rowDiff); undefined for the first version seen.
   */
  changes?: RowDiff | undefined;
  /** The last versions received, newest first, at most CHANGE_LOG_LIMIT (live/changeLog). */
  changeLog?: ChangeLogEntry[] | undefined;
  /** Versions received so far: a paused card counts the newer ones with it. */
  received?: number | undefined;
  /** `stat` sections: values over time, for KPI deltas "since" a moment (live/kpiHistory). */
  kpiHistory?: KpiHistory | undefined;
  /**
   * Data carried over from another address of the same server: shown (stale) until the first
   * update from the new connection, which replaces it whatever its version.
   */
  resync?: boolean;
}

export interface SectionsState {
  /** Catalog order, `$cluster` excluded. */
  order: string[];
  byId: Record<string, SectionView>;
  /** The catalog's dashboards (pages of section ids, `$cluster` possible); absent: one page. */
  dashboards?: DashboardInfo[];
}

/** One node of the `$cluster` section: its row as the server builds it. */
export type ClusterNode = ClusterRow;

export interface ClusterPoint {
  /** Client epoch ms. */
  t: number;
  clients: number;
  eventLoopLagMs: number;
  heapUsedBytes: number;
  /**
   * Queries and updates per second over the last interval of at least RATE_MIN_INTERVAL_MS on
   * the server's clock (live/clusterRates); undefined until one has been measured.
   */
  queriesPerSec: number | undefined;
  updatesPerSec: number | undefined;
}

export interface ClusterState {
  nodes: ClusterNode[];
  /** Bounded history per node for sparklines (at most CLUSTER_HISTORY points each). */
  history: Record<string, ClusterPoint[]>;
  /** Per node: the counters the last rate was measured from, and that rate. */
  rates: Record<string, { base: CounterSample; rates: NodeRates | undefined }>;
}

export const CLUSTER_HISTORY = 60;

export const initialConnection: ConnectionState = { phase: 'idle', attempt: 0, clockOffsetMs: 0 };
export const initialSections: SectionsState = { order: [], byId: {} };
export const initialCluster: ClusterState = { nodes: [], history: {}, rates: {} };
