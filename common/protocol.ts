/**
 * The Socket.IO protocol between an Opsdeck server and its clients (docs/socketio.md).
 * Types only: both the server and the renderer import this file.
 */

export type ColumnType = 'number' | 'string' | 'time' | 'boolean';

export interface Column {
  name: string;
  type: ColumnType;
}

/** A JSON value as it appears in a row. */
export type CellValue =
  number | string | boolean | null | CellValue[] | { [key: string]: CellValue };

export type Row = Record<string, CellValue>;

export type ViewType = 'line' | 'area' | 'bar' | 'table' | 'stat';

export interface ViewSpec {
  type: ViewType;
  /** Column used for the x axis (line, area, bar). */
  x?: string;
  /** Columns plotted as series (line, area, bar) or shown as tiles (stat). */
  y?: string[];
  /**
   * Columns of `y` drawn against a second axis on the right (line, area, bar). Without it the
   * console splits the series by magnitude itself, so that no series is drawn flat along the floor.
   */
  y2?: string[];
}

/** How the server learns that a section's data changed. */
export type SectionMode = 'notify' | 'poll' | 'push';

export interface SectionInfo {
  id: string;
  title: string;
  view: ViewSpec;
  mode: SectionMode;
  /** Poll period in milliseconds, for poll-mode sections. */
  intervalMs?: number;
}

export interface SectionUpdate {
  section: string;
  /** Positive, per section; the same version always means the same rows. */
  version: number;
  rows: Row[];
  columns: Column[];
  /** ISO 8601 UTC: when the server detected the change. */
  changedAt: string;
  /** ISO 8601 UTC: when the rows were read. */
  queriedAt: string;
  /** Present and true when the query returned more than maxRows rows. */
  truncated?: boolean;
}

export interface SectionStatus {
  section: string;
  healthy: boolean;
  error?: string;
  /** ISO 8601 UTC of the last successful query. */
  lastOkAt?: string;
  /**
   * The section works but its change feed cannot be trusted, in words for people: which table and
   * what it costs (e.g. "orders has no notify trigger: changes show up only at the 60 s re-check").
   */
  warning?: string;
}

export interface ServerInfo {
  name: string;
  version: string;
  nodeId: string;
  clusterSize: number;
}

export type ErrorCode =
  'bad_request' | 'unknown_section' | 'unauthorized' | 'rate_limited' | 'internal';

export interface AckError {
  ok: false;
  error: { code: ErrorCode; message: string };
}

export type Ack<T extends object> = ({ ok: true } & T) | AckError;

export interface CatalogBody {
  server: ServerInfo;
  sections: SectionInfo[];
}

export type CatalogAck = Ack<CatalogBody>;
export type SubscribeAck = Ack<{ sections: string[] }>;
export type UnsubscribeAck = { ok: true } | AckError;
/** Extension: round trip and clock offset; `serverTime` is epoch milliseconds. */
export type PingAck = Ack<{ serverTime: number }>;

export interface SubscribeRequest {
  sections: string[];
  have?: Record<string, number>;
}

export interface UnsubscribeRequest {
  sections: string[];
}

export interface ClientToServerEvents {
  catalog: (ack: (res: CatalogAck) => void) => void;
  subscribe: (req: SubscribeRequest, ack: (res: SubscribeAck) => void) => void;
  unsubscribe: (req: UnsubscribeRequest, ack: (res: UnsubscribeAck) => void) => void;
  /** Extension: answers at once, for round-trip time and clock offset. */
  ping: (ack: (res: PingAck) => void) => void;
}

export interface ServerToClientEvents {
  update: (update: SectionUpdate) => void;
  'section-status': (status: SectionStatus) => void;
  /** Extension: the server is shutting down (clients reconnect when it returns). */
  'server-shutdown': (info: { reason: string }) => void;
  /** Extension: the cluster this node belongs to is degraded (Redis unreachable), or healthy again. */
  'server-status': (status: ServerStatus) => void;
}

export interface ServerStatus {
  degraded: boolean;
  /** Why, in words for people, while degraded. */
  reason?: string;
}

/** The reserved section that lists the server processes. */
export const CLUSTER_SECTION_ID = '$cluster';

/** Socket.IO room that receives a section's updates. */
export function sectionRoom(sectionId: string): string {
  return `section:${sectionId}`;
}
