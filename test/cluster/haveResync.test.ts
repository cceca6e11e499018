/**
 * A client that moves with `have` to a freshly started node is sent nothing it holds (issue 15).
 * The bug: a new node answered the subscribe before it had read the snapshots from Redis (nothing
 * to send, so nothing sent), then delivered those very versions to its rooms once it had read them.
 * Now a node lets connections in only after that first read (server/delivery/ClusterNode.ts).
 *
 * Each round: kill -9 the leader, start a new node at once, connect to it the moment it listens
 * and subscribe with the versions held. The new node reaches Redis through a proxy that holds
 * every chunk for REDIS_DELAY_MS, so its first read of the snapshots takes a few of those: the
 * subscribe always lands in the window the bug needed (on an idle machine it rarely did). Then,, once a leader is elected again and a new
 * change reaches the client, the client must have received only that change: no update of a
 * version it held, nothing of the unchanged section.
 */
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CatalogAck, SubscribeAck } from '../../common/protocol.js';
import { connect, recorder, request, waitFor, type TestSocket } from '../helpers/client.js';
import { startOpsdeck, type OpsdeckProcess } from '../helpers/opsdeckProcess.js';
import { writeServeConfig } from '../helpers/serveConfig.js';
import { ClusterFixture } from './helpers/clusterFixture.js';
import { clusterConfig, insertEvent, SECTION_IDS } from './helpers/fixture.js';
import { LiveClient } from './helpers/liveClient.js';
import { clusterNode, NODE_START_MS, waitForLeader, type ClusterNode } from './helpers/nodes.js';
import { describeCluster } from './helpers/requirements.js';

const ROUNDS = 3;
/** The new nodes' Redis round trip: long enough that the client's subscribe comes first. */
const REDIS_DELAY_MS = 250;
/** Readiness on a loaded machine (the lease of a killed leader runs out first), not a bound. */
const LEADER_MS = 30_000;

const fixture = new ClusterFixture({ nodes: 2 });
const started: OpsdeckProcess[] = [];
const sockets: TestSocket[] = [];
let config: ReturnType<typeof writeServeConfig> | undefined;
let slowRedis: SlowProxy | undefined;

/** Every node this test runs: the fixture's two, then one new per round. */
const live: ClusterNode[] = [];

async function startFreshNode(): Promise<{ proc: OpsdeckProcess; node: ClusterNode }> {
  const proc = await startOpsdeck(
    ['serve', '--config', config!.file, '--port', '0'],
    {},
    NODE_START_MS,
  );
  started.push(proc);
  const node = clusterNode(proc, live.length);
  return { proc, node };
}

await describeCluster(
  'a client moving with `have` to a freshly started node',
  { services: ['postgres', 'redis'] },
  () => {
    beforeAll(async () => {
      await fixture.start();
      live.push(...fixture.cluster.nodes);
      slowRedis = await startSlowProxy(Number(new URL(fixture.redisUrl).port), REDIS_DELAY_MS);
      config = writeServeConfig(clusterConfig(fixture.db, slowRedis.url, fixture.name));
    });

    afterAll(async () => {
      for (const s of sockets) s.close();
      await Promise.all(started.map((p) => p.stop('SIGTERM')));
      config?.remove();
      await fixture.stop();
    });

    it(`is sent no version it holds (leader kill -9, new node, ${ROUNDS} rounds)`, async () => {
      // What the client holds: everything, as of a change made now.
      let have: Record<string, number> = {};
      {
        const leader = await waitForLeader(live, LEADER_MS);
        const first = await LiveClient.open('first', leader.url, SECTION_IDS, { reconnect: false });
        const id = await insertEvent(fixture.db, 'before the first round');
        await waitFor(
          'the first change on the client',
          () => first.latest('events')?.rows[0]?.['last_id'] === id,
          15_000,
        );
        have = { ...first.have };
        first.close();
      }
      expect(Object.keys(have).sort()).toEqual([...SECTION_IDS].sort());

      for (let round = 0; round < ROUNDS; round++) {
        const leader = await waitForLeader(live, LEADER_MS);
        leader.alive = false;
        await leader.proc.stop('SIGKILL');
        live.splice(live.indexOf(leader), 1);

        const { node } = await startFreshNode();
        // At once, as a console whose node died would: the race the bug lost.
        const socket = await connect(node.url);
        sockets.push(socket);
        const seen = recorder(socket);
        const catalog = await request<CatalogAck>(socket, 'catalog');
        expect(catalog.ok).toBe(true);
        const ack = await request<SubscribeAck>(socket, 'subscribe', {
          sections: SECTION_IDS,
          have,
        });
        expect(ack.ok).toBe(true);
        live.push(node);

        // A leader again (the killed one's lease runs out), and a change through it: once that
        // change has reached the client, so has anything the nodes delivered before it.
        await waitForLeader(live, LEADER_MS);
        const id = await insertEvent(fixture.db, `round ${round}`);
        const arrived = await waitFor(
          `round ${round}: the new change on the client`,
          () => seen.updates.find((u) => u.section === 'events' && u.rows[0]?.['last_id'] === id),
          LEADER_MS,
        );
        await request(socket, 'catalog'); // everything sent before this answer has arrived

        const resent = seen.updates.filter((u) => u.version <= (have[u.section] ?? 0));
        expect(
          resent.map((u) => `${u.section} v${u.version}`),
          `round ${round}: re-sent versions`,
        ).toEqual([]);
        expect(seen.updates.filter((u) => u.section === 'teams')).toEqual([]);
        expect(arrived.version).toBeGreaterThan(have['events'] ?? 0);
        for (const u of seen.updates) have[u.section] = Math.max(have[u.section] ?? 0, u.version);
        socket.close();
      }
    });
  },
);

interface SlowProxy {
  url: string;
  close(): Promise<void>;
}

/** A loopback TCP proxy to Redis that passes each chunk on `delayMs` late, in order. */
async function startSlowProxy(targetPort: number, delayMs: number): Promise<SlowProxy> {
  const open = new Set<Socket>();
  const later = (to: Socket) => (chunk: Buffer) => {
    setTimeout(() => to.destroyed || to.write(chunk), delayMs);
  };
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) open.add(s);
    const drop = () => {
      for (const s of [client, upstream]) {
        s.destroy();
        open.delete(s);
      }
    };
    client.on('data', later(upstream)).on('error', drop).on('close', drop);
    upstream.on('data', later(client)).on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
