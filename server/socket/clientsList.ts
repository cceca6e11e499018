import type { Socket } from 'socket.io';
import {
  CLIENTS_DEFAULT_PAGE_SIZE,
  CLIENTS_MAX_PAGE_SIZE,
  type ClientInfo,
  type ClientsBody,
  type ClientsRequest,
  type ClientTransport,
  type NodeClients,
} from '../../common/clients.js';
import { isSectionRoom, sectionRoom } from '../../common/protocol.js';
import type { Logger } from '../log.js';
import type { OpsdeckIo } from './attachProtocol.js';
import { pageSlices, type NodeSlice } from './clientsListPaging.js';
import { UserAgents } from './clientsListAgents.js';

const ROOM_PREFIX_LENGTH = sectionRoom('').length;

/** A round that takes longer than this answers with what it has (`complete: false`). */
const ROUND_DEADLINE_MS = 6000;

export interface ClientsListOptions {
  io: OpsdeckIo;
  nodeId: string;
  /** Several nodes share the Socket.IO Redis adapter: ask them too. */
  clustered: boolean;
  log: Logger;
}

/**
 * The connected clients of every node (the `clients` event, docs/socketio.md). Each node
 * describes its own clients from what Socket.IO keeps anyway (socket id, remote address, the
 * handshake's time, the engine's transport, the rooms) plus the User-Agent (UserAgents), so a
 * connection carries nothing more; `socket.data` stays empty. In a cluster the node asked sends
 * two rounds over the Redis adapter: every node's count, then to the nodes the page reaches the
 * slice it needs. What crosses is the ClientInfo fields only: never the handshake, whose `auth`
 * holds the client's token.
 */
export class ClientsList {
  readonly agents = new UserAgents();
  private readonly io: OpsdeckIo;
  private readonly nodeId: string;
  private readonly clustered: boolean;
  private readonly log: Logger;

  constructor(options: ClientsListOptions) {
    ({ io: this.io, nodeId: this.nodeId, clustered: this.clustered, log: this.log } = options);
    if (!this.clustered) return;
    this.io.on('opsdeck:clients-count', (ack) => ack(this.localCount()));
    this.io.on('opsdeck:clients-page', (slices, ack) => {
      const slice = slices[this.nodeId];
      ack(slice ? this.localSlice(slice) : []);
    });
  }

  /** The request's page (validated by the caller; `pageSize` is capped here). */
  async list(request: ClientsRequest): Promise<ClientsBody> {
    const page = request.page ?? 1;
    const pageSize = Math.min(request.pageSize ?? CLIENTS_DEFAULT_PAGE_SIZE, CLIENTS_MAX_PAGE_SIZE);
    const counted = await this.round(this.localCount(), () =>
      this.io.serverSideEmitWithAck('opsdeck:clients-count'),
    );
    const nodes = counted.answers
      .filter((n) => request.node === undefined || n.nodeId === request.node)
      .sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
    const slices = pageSlices(nodes, (page - 1) * pageSize, pageSize);

    const own = slices.get(this.nodeId);
    slices.delete(this.nodeId);
    const mine = own ? this.localSlice(own) : [];
    const remote =
      slices.size === 0
        ? { answers: [], complete: true }
        : await this.round<ClientInfo[]>(undefined, () =>
            this.io.serverSideEmitWithAck('opsdeck:clients-page', Object.fromEntries(slices)),
          );
    const byNode = new Map<string, ClientInfo[]>([[this.nodeId, mine]]);
    for (const clients of remote.answers) {
      const first = clients[0];
      if (first && slices.has(first.nodeId)) byNode.set(first.nodeId, clients);
    }
    return {
      total: nodes.reduce((sum, n) => sum + n.clients, 0),
      page,
      pageSize,
      nodes,
      complete: counted.complete && remote.complete,
      clients: nodes.flatMap((n) => byNode.get(n.nodeId) ?? []),
    };
  }

  /**
   * This node's answer and, in a cluster, the other nodes' (those that answered in time: a node
   * that did not, or Redis being unreachable, makes the result incomplete, never wrong).
   */
  private async round<T>(
    own: T | undefined,
    ask: () => Promise<T[]>,
  ): Promise<{ answers: T[]; complete: boolean }> {
    const answers = own === undefined ? [] : [own];
    if (!this.clustered) return { answers, complete: true };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ROUND_DEADLINE_MS);
    });
    try {
      const others = await Promise.race([ask(), deadline]);
      if (others === 'late') return { answers, complete: false };
      return { answers: [...answers, ...others], complete: true };
    } catch (error) {
      // The adapter's timeout: some nodes answered, kept in `responses`.
      const partial = (error as { responses?: T[] }).responses ?? [];
      this.log.warn({ err: error }, 'clients list: not every node answered');
      return { answers: [...answers, ...partial], complete: false };
    } finally {
      clearTimeout(timer);
    }
  }

  private localCount(): NodeClients {
    return { nodeId: this.nodeId, clients: this.io.sockets.sockets.size };
  }

  /** This node's clients [start, end) in connection order (the sockets map keeps it). */
  private localSlice({ start, end }: NodeSlice): ClientInfo[] {
    const out: ClientInfo[] = [];
    let index = 0;
    for (const socket of this.io.sockets.sockets.values()) {
      if (index >= end) break;
      if (index++ >= start) out.push(this.describe(socket));
    }
    return out;
  }

  private describe(socket: Pick<Socket, 'id' | 'rooms' | 'handshake' | 'conn'>): ClientInfo {
    const sections: string[] = [];
    for (const room of socket.rooms) {
      if (isSectionRoom(room)) sections.push(room.slice(ROOM_PREFIX_LENGTH));
    }
    return {
      id: socket.id,
      nodeId: this.nodeId,
      address: socket.handshake.address,
      userAgent: this.agents.of(socket.conn),
      transport: socket.conn.transport.name as ClientTransport,
      sections: sections.sort(),
      connectedAt: new Date(socket.handshake.issued).toISOString(),
    };
  }
}
