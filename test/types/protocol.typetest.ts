/**
 * Type tests that pin the Socket.IO protocol (common/protocol.ts), in the manner of socket.io's own
 * test-d files: each `@ts-expect-error` line must fail to compile, everything else must compile.
 * Checked by `tsc -b` (the test/ project); never run.
 */
import type { Socket as ServerSocket } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import type { ClientInfo } from '../../common/clients.js';
import type { ClusterRow } from '../../common/clusterRow.js';
import type {
  AckResponse,
  CatalogAck,
  ClientsAck,
  ClientToServerEvents,
  PingAck,
  Row,
  SectionStatus,
  ServerToClientEvents,
  SubscribeAck,
  UnsubscribeAck,
  VerifyAck,
} from '../../common/protocol.js';
import type { ClusterNode } from '../../renderer/live/state.js';
import type { nodeRow } from '../../server/sections/clusterSection.js';
import type { OpsdeckIo, ProtocolHandlers } from '../../server/socket/attachProtocol.js';
import type { Equal, Expect } from './typeAssert.js';

// --- The acknowledgements, per event --------------------------------------------------------

export type AckTypes = [
  Expect<Equal<AckResponse<'catalog'>, CatalogAck>>,
  Expect<Equal<AckResponse<'subscribe'>, SubscribeAck>>,
  Expect<Equal<AckResponse<'unsubscribe'>, UnsubscribeAck>>,
  Expect<Equal<AckResponse<'ping'>, PingAck>>,
  Expect<Equal<AckResponse<'verify'>, VerifyAck>>,
  Expect<Equal<AckResponse<'clients'>, ClientsAck>>,
];

export const subscribeHandler: ProtocolHandlers['subscribe'] = (_payload, reply) => {
  reply({ ok: true, sections: ['kpis'] });
  reply({ ok: false, error: { code: 'unknown_section', message: 'unknown section: nope' } });
  // @ts-expect-error subscribe's ack names the subscribed sections
  reply({ ok: true });
  // @ts-expect-error the subscribed sections are ids
  reply({ ok: true, sections: [1] });
  // @ts-expect-error an ack is { ok: true, ... } or { ok: false, error }
  reply({ sections: ['kpis'] });
  // @ts-expect-error error codes are the contract's five
  reply({ ok: false, error: { code: 'not_found', message: 'nope' } });
  // @ts-expect-error a failure carries its error
  reply({ ok: false });
};

export const catalogHandler: ProtocolHandlers['catalog'] = (_payload, reply) => {
  reply({
    ok: true,
    server: { name: 'opsdeck', version: '1', nodeId: 'n', clusterSize: 1 },
    sections: [],
  });
  // @ts-expect-error the catalog's ack carries the server and its sections
  reply({ ok: true, sections: [] });
};

export const unsubscribeHandler: ProtocolHandlers['unsubscribe'] = (_payload, reply) => {
  reply({ ok: true });
  // @ts-expect-error unsubscribe answers ok alone: it is not a subscribe ack
  reply({ ok: 'yes' });
};

export const pingHandler: ProtocolHandlers['ping'] = (_payload, reply) => {
  reply({ ok: true, serverTime: Date.now() });
  // @ts-expect-error serverTime is epoch milliseconds, a number
  reply({ ok: true, serverTime: new Date().toISOString() });
};

export const verifyHandler: ProtocolHandlers['verify'] = (_payload, reply) => {
  reply({ ok: true, current: false });
  reply({ ok: false, error: { code: 'unknown_section', message: 'unknown section: nope' } });
  // @ts-expect-error verify answers whether the version and hash are current
  reply({ ok: true });
  // @ts-expect-error current is a boolean, not a version
  reply({ ok: true, current: 3 });
};

const listed: ClientInfo = {
  id: 'a1',
  nodeId: 'n',
  address: '127.0.0.1',
  userAgent: '',
  transport: 'websocket',
  sections: ['kpis'],
  connectedAt: '2024-01-01T00:00:00.000Z',
};

export const clientsHandler: ProtocolHandlers['clients'] = (_payload, reply) => {
  const page = { total: 1, page: 1, pageSize: 50, complete: true };
  reply({ ok: true, ...page, nodes: [{ nodeId: 'n', clients: 1 }], clients: [listed] });
  reply({ ok: false, error: { code: 'rate_limited', message: 'slow down' } });
  // @ts-expect-error the ack says whether every node answered
  reply({ ok: true, total: 1, page: 1, pageSize: 50, nodes: [], clients: [] });
  // @ts-expect-error a listed client has no auth field: the list never carries tokens
  reply({ ok: true, ...page, nodes: [], clients: [{ ...listed, auth: { token: 't' } }] });
  // @ts-expect-error transports are engine.io's names
  reply({ ok: true, ...page, nodes: [], clients: [{ ...listed, transport: 'tcp' }] });
};

// --- The handler map: one handler per client event, no other ----------------------------------

const handlers = {
  catalog: catalogHandler,
  subscribe: subscribeHandler,
  unsubscribe: unsubscribeHandler,
  ping: pingHandler,
  verify: verifyHandler,
  clients: clientsHandler,
};

export const complete: ProtocolHandlers = handlers;

// @ts-expect-error every client event needs its handler (here: ping is missing)
export const missingPing: ProtocolHandlers = {
  catalog: catalogHandler,
  subscribe: subscribeHandler,
  unsubscribe: unsubscribeHandler,
  verify: verifyHandler,
  clients: clientsHandler,
};

export const unknownEvent: ProtocolHandlers = {
  ...handlers,
  // @ts-expect-error not an event of the protocol
  subscribeAll: subscribeHandler,
};

export const swapped: ProtocolHandlers = {
  ...handlers,
  // @ts-expect-error a ping handler cannot answer subscribe: the ack shapes differ
  subscribe: pingHandler,
};

// --- Both ends of a socket, as socket.io types them --------------------------------------------

declare const client: ClientSocket<ServerToClientEvents, ClientToServerEvents>;
declare const io: OpsdeckIo;
declare const serverSocket: ServerSocket<ClientToServerEvents, ServerToClientEvents>;

export function clientSide(): void {
  // The ack narrows on `ok`: sections on success, a contract error code on failure.
  client.emit('subscribe', { sections: ['kpis'], have: { kpis: 3 } }, (res) =>
    res.ok ? res.sections.join(',') : res.error.code.toUpperCase(),
  );
  // warning is text: string methods apply.
  client.on('section-status', (status) => status.warning?.trim());
  // @ts-expect-error not an event of the protocol
  client.emit('subscribe-all', (res: unknown) => res);
  // @ts-expect-error subscribe takes { sections }, not a bare list
  client.emit('subscribe', ['kpis'], () => undefined);
  client.emit('verify', { section: 'kpis', version: 3, hash: 'h' }, (res) =>
    res.ok ? res.current : res.error.code,
  );
  // @ts-expect-error verify names the section, the version and the hash
  client.emit('verify', { section: 'kpis', version: 3 }, () => undefined);
  client.emit('clients', { page: 2, pageSize: 20, node: 'n' }, (res) =>
    res.ok ? res.clients.map((c) => c.userAgent) : res.error.code,
  );
  // @ts-expect-error pages are numbers
  client.emit('clients', { page: 'next' }, () => undefined);
  // update's hash is text
  client.on('update', (update) => update.hash?.length);
  // @ts-expect-error the server never sends this event
  client.on('alerts', () => undefined);
}

export function serverSide(): void {
  io.to('section:kpis').emit('section-status', { section: 'kpis', healthy: false, error: 'boom' });
  // @ts-expect-error not an event the server sends
  io.emit('updated', {});
  // @ts-expect-error an update carries its version, rows and times
  io.emit('update', { section: 'kpis', rows: [] });
  // @ts-expect-error a section-status warning is text
  io.emit('section-status', { section: 'kpis', healthy: true, warning: 1 });
  // @ts-expect-error clients send no such event
  serverSocket.on('subscribe-all', () => undefined);
}

// --- section-status ------------------------------------------------------------------------

export const warned: SectionStatus = {
  section: 'orders',
  healthy: true,
  warning: 'orders has no notify trigger: changes show up only at the 60 s re-check',
};

// @ts-expect-error warning is words for people, not a flag
export const flagged: SectionStatus = { section: 'orders', healthy: true, warning: true };

// @ts-expect-error healthy is a boolean
export const vague: SectionStatus = { section: 'orders', healthy: 'mostly' };

// --- The `$cluster` row --------------------------------------------------------------------

export const fullRow: ClusterRow = {
  nodeId: 'host-1-abc',
  host: 'host',
  pid: 1,
  startedAt: '2024-01-01T00:00:00.000Z',
  leader: true,
  clients: 0,
  subscriptions: 0,
  eventLoopLagMs: 0,
  heapUsedBytes: 0,
  rssBytes: 0,
  queries: 0,
  updatesSent: 0,
};

/** A $cluster row is a plain row, as the section engine publishes it. */
export const asRow: Row = fullRow;

declare const withoutUpdatesSent: Omit<ClusterRow, 'updatesSent'>;
// @ts-expect-error a $cluster row has every column (here: no updatesSent)
export const missingColumn: ClusterRow = withoutUpdatesSent;

export const renamedColumn: ClusterRow = {
  ...fullRow,
  // @ts-expect-error a renamed column is not a $cluster column
  eventLoopLagP99: 0,
};

export type OneRowType = [
  // The server builds, and the console reads, the same row.
  Expect<Equal<Awaited<ReturnType<typeof nodeRow>>, ClusterRow>>,
  Expect<Equal<ClusterNode, ClusterRow>>,
];
