/**
 * The Socket.IO protocol between an Opsdeck server and its clients (docs/socketio.md).
 * Types and a few pure values: both the server and the renderer import this file. The type tests
 * in test/types/protocol.typetest.ts pin it.
 */
import type { AlertEvent, AlertRuleInfo, DashboardInfo } from './alerts.js';
import type { ClientsBody, ClientsRequest } from './clients.js';

export type ColumnType = 'number' | 'string' | 'time' | 'boolean';

export interface Column {
  name: string;
  type: ColumnType;
}

/** A JSON value as it appears in a row. */
export type CellValue =
  number | string | boolean | null | CellValue[] | { [key: string]: CellValue };

export type Row = Record<string, CellValue>;

/** The chart types a section's view may take (the configuration file's `view.type`). */
export const VIEW_TYPES = ['line', 'area', 'bar', 'table', 'stat'] as const;

export type ViewType = (typeof VIEW_TYPES)[number];

export interface ViewSpec {
  type: ViewType;
  /** Column used for the x axis (line, area, bar). */
  x?: string | undefined;
  /** Columns plotted as series (line, area, bar) or shown as tiles (stat). */
  y?: string[] | undefined;
  /**
   * Columns of `y` drawn against a second axis on the right (line, area, bar). Without it the
   * console splits the series by magnitude itself, so that no series is drawn flat along the floor.
   */
  y2?: string[] | undefined;
  /**
   * The column that identifies a row across versions (the console's "what changed": rows added,
   * removed and changed). Without it rows are matched by the first column.
   */
  key?: string | undefined;
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
  /** The section's SQL, only when the server allows it (`showSql: true`); never for `$cluster`. */
  sql?: string;
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
  /** The canonical hash of the rows as text (server/sections/canonicalHash.ts), what `verify` checks. */
  hash?: string;
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
  /** Extension: the configured alert rules (absent when there are none). */
  alerts?: AlertRuleInfo[];
  /** Extension: named pages of sections (absent without `dashboards:`: one page of all). */
  dashboards?: DashboardInfo[];
}

export type CatalogAck = Ack<CatalogBody>;
export type SubscribeAck = Ack<{ sections: string[] }>;
export type UnsubscribeAck = { ok: true } | AckError;
/** Extension: round trip and clock offset; `serverTime` is epoch milliseconds. */
export type PingAck = Ack<{ serverTime: number }>;

/** Does this version and hash match what the server holds now (an evidence file's check). */
export type VerifyAck = Ack<{ current: boolean }>;

/** Extension: a page of the clients connected to every node (common/clients.ts). */
export type ClientsAck = Ack<ClientsBody>;

export interface VerifyRequest {
  section: string;
  version: number;
  hash: string;
}

export interface SubscribeRequest {
  sections: string[];
  have?: Record<string, number> | undefined;
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
  verify: (req: VerifyRequest, ack: (res: VerifyAck) => void) => void;
  /** Extension: who is connected to which node (paged; never a token or any auth field). */
  clients: (req: ClientsRequest, ack: (res: ClientsAck) => void) => void;
}

/** The events a client may send; each takes an acknowledgement callback as its last argument. */
export type ClientEventName = keyof ClientToServerEvents;

type LastOf<T extends unknown[]> = T extends [...unknown[], infer L] ? L : never;

/** What the server answers through the acknowledgement of event E (`AckResponse<'subscribe'>`). */
export type AckResponse<E extends ClientEventName> =
  LastOf<Parameters<ClientToServerEvents[E]>> extends (response: infer R) => void ? R : never;

/** The acknowledgement callback of event E, as the server calls it. */
export type AckReply<E extends ClientEventName> = (response: AckResponse<E>) => void;

export interface ServerToClientEvents {
  update: (update: SectionUpdate) => void;
  'section-status': (status: SectionStatus) => void;
  /** Extension: the server is shutting down (clients reconnect when it returns). */
  'server-shutdown': (info: { reason: string }) => void;
  /** Extension: the cluster this node belongs to is degraded (Redis unreachable), or healthy again. */
  'server-status': (status: ServerStatus) => void;
  /** Extension: one of the section's alert rules started or stopped firing (common/alerts.ts). */
  alert: (event: AlertEvent) => void;
}

export interface ServerStatus {
  degraded: boolean;
  /** Why, in words for people, while degraded. */
  reason?: string;
}

/** The reserved section that lists the server processes. */
export const CLUSTER_SECTION_ID = '$cluster';

const SECTION_ROOM_PREFIX = 'section:';

/** Socket.IO room that receives a section's updates. */
export function sectionRoom(sectionId: string): string {
  return `${SECTION_ROOM_PREFIX}${sectionId}`;
}

/** Is this Socket.IO room a section's (as opposed to a socket's own room)? */
export function isSectionRoom(room: string): boolean {
  return room.startsWith(SECTION_ROOM_PREFIX);
}
