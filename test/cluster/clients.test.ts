/**
 * The `clients` event across a cluster: three in-process nodes sharing the real Redis (their own
 * key prefix), stock clients on each over real sockets, the list asked of any one node.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { ClientInfo } from '../../common/clients.js';
import type { CatalogAck, ClientsAck } from '../../common/protocol.js';
import { clusterKeys } from '../../server/cluster/clusterKeys.js';
import { request, type TestSocket } from '../helpers/client.js';
import { ControlledSection } from '../support/controlledSection.js';
import type { InProcessServer } from '../support/inProcessServer.js';
import { SHARED_REDIS } from './helpers/fixture.js';
import { InProcessCluster } from './helpers/InProcessCluster.js';
import { roles, type InProcessNode } from './helpers/inProcessNodes.js';
import { describeCluster } from './helpers/requirements.js';

const cluster = new InProcessCluster('clients');
const TOKEN = 'clients-list-token-4f1c9a';
const AGENT = 'Mozilla/5.0 (X11; Linux x86_64) OpsdeckTest/1.0';

const nodes = cluster.nodes;

const startNode = (): Promise<InProcessNode> => {
  const section = new ControlledSection('a');
  return cluster.start(section, {
    sections: [section, new ControlledSection('b')],
    tokens: [TOKEN],
  });
};

async function list(socket: TestSocket, payload?: object): Promise<ClientsAck> {
  return payload === undefined
    ? request<ClientsAck>(socket, 'clients')
    : request<ClientsAck>(socket, 'clients', payload);
}

function ok(ack: ClientsAck) {
  if (!ack.ok) throw new Error(`clients failed: ${ack.error.code} ${ack.error.message}`);
  return ack;
}

/** A connected client of `server`, subscribed to `sections`. */
async function clientOf(
  server: InProcessServer,
  sections: string[],
  options: { transports?: string[]; agent?: string } = {},
): Promise<TestSocket> {
  const socket = await server.client({
    token: TOKEN,
    ...(options.transports ? { transports: options.transports } : {}),
    ...(options.agent ? { extraHeaders: { 'user-agent': options.agent } } : {}),
  });
  if (sections.length > 0) await request(socket, 'subscribe', { sections });
  return socket;
}

await describeCluster('clients list across a cluster', { services: ['redis'] }, () => {
  let servers: InProcessServer[];
  /** Clients per node: 1 on the first, 2 on the second, 3 on the third (6 in all). */
  let sockets: TestSocket[][];

  beforeAll(async () => {
    await Promise.all([startNode(), startNode(), startNode()]);
    await roles(nodes);
    for (const n of nodes) await readNodeId(n.server);
    // In nodeId order, as the list sorts them.
    servers = nodes.map((n) => n.server).sort((a, b) => (nodeIdOf(a) < nodeIdOf(b) ? -1 : 1));
    const [s0, s1, s2] = servers as [InProcessServer, InProcessServer, InProcessServer];
    sockets = [
      [await clientOf(s0, ['a'], { agent: AGENT })],
      [await clientOf(s1, ['a', 'b']), await clientOf(s1, [], { transports: ['polling'] })],
      [await clientOf(s2, ['b']), await clientOf(s2, ['a']), await clientOf(s2, ['a'])],
    ];
  });

  afterAll(async () => {
    await cluster.stop();
  });

  it('lists every client of every node, from any node, with what each node knows of it', async () => {
    for (const [index, server] of servers.entries()) {
      const asker = sockets[index]![0]!;
      const ack = ok(
        await vi.waitFor(
          async () => {
            const answer = ok(await list(asker));
            // Every node's adapter subscribed and answering (and the catalog readers gone).
            expect(answer.nodes).toHaveLength(3);
            expect(answer.total).toBe(6);
            return answer;
          },
          { timeout: 30_000, interval: 250 },
        ),
      );
      expect(ack.complete).toBe(true);
      expect(ack.total).toBe(6);
      expect(ack.page).toBe(1);
      expect(ack.nodes).toEqual(servers.map((s, i) => ({ nodeId: nodeIdOf(s), clients: i + 1 })));
      expect(ack.clients.map((c) => c.id)).toEqual(sockets.flat().map((s) => s.id));
      expect(ack.clients.map((c) => c.nodeId)).toEqual(
        servers.flatMap((s, i) => Array<string>(i + 1).fill(nodeIdOf(s))),
      );
      expect(nodeIdOf(server)).toBe(ack.nodes[index]!.nodeId);
    }
    const ack = ok(await list(sockets[2]![0]!));
    const byId = new Map<string | undefined, ClientInfo>(ack.clients.map((c) => [c.id, c]));
    const first = byId.get(sockets[0]![0]!.id)!;
    expect(first.userAgent).toBe(AGENT);
    expect(first.sections).toEqual(['a']);
    expect(first.transport).toBe('websocket');
    expect(first.address).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(Date.parse(first.connectedAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
    const plain = byId.get(sockets[1]![0]!.id)!;
    expect(plain.sections).toEqual(['a', 'b']);
    expect(plain.userAgent).toBe(''); // Node's WebSocket client sends none
    const polling = byId.get(sockets[1]![1]!.id)!;
    expect(polling.transport).toBe('polling');
    expect(polling.sections).toEqual([]);
    expect(polling.userAgent).toBe('node-XMLHttpRequest'); // socket.io-client's in Node
  });

  it('never carries a token or any auth field', async () => {
    const ack = ok(await list(sockets[1]![0]!, { pageSize: 200 }));
    const text = JSON.stringify(ack);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/auth|token|handshake|headers/i);
    for (const client of ack.clients) {
      expect(Object.keys(client).sort()).toEqual(
        ['address', 'connectedAt', 'id', 'nodeId', 'sections', 'transport', 'userAgent'].sort(),
      );
    }
  });

  it('pages across nodes: every client once, in order, whatever the page size', async () => {
    const all = sockets.flat().map((s) => s.id);
    const asker = sockets[0]![0]!;
    for (const pageSize of [1, 2, 4, 5]) {
      const seen: ClientInfo[] = [];
      for (let page = 1; page <= Math.ceil(all.length / pageSize); page++) {
        // One page a second is each socket's rate: wait out a refusal, never sleep blindly.
        const ack = await vi.waitFor(async () => ok(await list(asker, { page, pageSize })), {
          timeout: 30_000,
          interval: 250,
        });
        expect(ack.total).toBe(all.length);
        expect(ack.pageSize).toBe(pageSize);
        expect(ack.clients.length).toBe(Math.min(pageSize, all.length - (page - 1) * pageSize));
        seen.push(...ack.clients);
      }
      expect(seen.map((c) => c.id)).toEqual(all);
    }
    const past = await vi.waitFor(async () => ok(await list(asker, { page: 99, pageSize: 5 })), {
      timeout: 30_000,
      interval: 250,
    });
    expect(past.clients).toEqual([]);
    expect(past.total).toBe(all.length);
  });

  it('lists one node on its own with `node`', async () => {
    const target = servers[2]!;
    const ack = await vi.waitFor(
      async () => ok(await list(sockets[0]![0]!, { node: nodeIdOf(target), pageSize: 2 })),
      { timeout: 30_000, interval: 250 },
    );
    expect(ack.total).toBe(3);
    expect(ack.nodes).toEqual([{ nodeId: nodeIdOf(target), clients: 3 }]);
    expect(ack.clients.map((c) => c.id)).toEqual(sockets[2]!.slice(0, 2).map((s) => s.id));
  });

  it('says the list is incomplete when a node does not answer, never that it is whole', async () => {
    // A silent member: subscribed to the adapter's request channel (so counted), never answering.
    const silent = new Redis(SHARED_REDIS, { lazyConnect: true });
    await silent.connect();
    try {
      await silent.subscribe(`${clusterKeys(cluster.name).adapter}-request#/#`);
      // The adapter waits 5 s for a missing answer, in each of the two rounds.
      const asker = sockets[1]![1]!; // it has not listed yet: not held by the rate limit
      const answer = (await asker
        .timeout(30_000)
        .emitWithAck('clients', { pageSize: 200 })) as ClientsAck;
      const ack = ok(answer);
      expect(ack.complete).toBe(false);
      // What the nodes that answered said is still there.
      expect(ack.total).toBe(6);
      expect(ack.clients).toHaveLength(6);
    } finally {
      silent.disconnect();
    }
    await vi.waitFor(async () => expect(ok(await list(sockets[0]![0]!)).complete).toBe(true), {
      timeout: 30_000,
      interval: 250,
    });
  });
});

const nodeIds = new Map<InProcessServer, string>();

function nodeIdOf(server: InProcessServer): string {
  const id = nodeIds.get(server);
  if (id === undefined) throw new Error('node id not read yet');
  return id;
}

/** A node's id, as its catalog says. */
async function readNodeId(server: InProcessServer): Promise<void> {
  const socket = await server.client({ token: TOKEN });
  const catalog = await request<CatalogAck>(socket, 'catalog');
  if (!catalog.ok) throw new Error(catalog.error.message);
  nodeIds.set(server, catalog.server.nodeId);
  socket.close();
}
