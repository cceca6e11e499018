/**
 * The connected clients on the wire (extension `clients`, docs/socketio.md): who is connected to
 * which node of a cluster, with what, watching which sections. Never a token or any auth field.
 */

/** A page holds this many clients unless the request says otherwise. */
export const CLIENTS_DEFAULT_PAGE_SIZE = 50;

/** Larger pages are cut to this size (the ack's `pageSize` says so). */
export const CLIENTS_MAX_PAGE_SIZE = 200;

/** At most this many characters of a User-Agent header are kept and sent. */
export const USER_AGENT_MAX_LENGTH = 256;

export interface ClientsRequest {
  /** 1-based; a page past the end is empty (`total` still counts everyone). Default 1. */
  page?: number | undefined;
  /** Default CLIENTS_DEFAULT_PAGE_SIZE, at most CLIENTS_MAX_PAGE_SIZE. */
  pageSize?: number | undefined;
  /** Only this node's clients (a `$cluster` row's `nodeId`). */
  node?: string | undefined;
}

/** The engine.io transport a client uses now (it may upgrade from polling to websocket). */
export type ClientTransport = 'polling' | 'websocket' | 'webtransport';

export interface ClientInfo {
  /** The Socket.IO socket id. */
  id: string;
  /** The node the client is connected to. */
  nodeId: string;
  /** The remote address the node sees (a proxy's, behind one). */
  address: string;
  /** The User-Agent header of the connection's first request, cut; '' when it sent none. */
  userAgent: string;
  transport: ClientTransport;
  /** The sections it is subscribed to, in id order. */
  sections: string[];
  /** ISO 8601 UTC. */
  connectedAt: string;
}

/** How many clients one node has (after the request's `node` filter). */
export interface NodeClients {
  nodeId: string;
  clients: number;
}

export interface ClientsBody {
  /** Every client matching the request, on every node that answered. */
  total: number;
  page: number;
  pageSize: number;
  /** The nodes that answered, in nodeId order, with their client counts. */
  nodes: NodeClients[];
  /**
   * False when a node did not answer in time: its clients are missing from `total` and the list
   * (never shown as if the list were whole).
   */
  complete: boolean;
  /** This page: by node (nodeId order), then by connection time. */
  clients: ClientInfo[];
}
