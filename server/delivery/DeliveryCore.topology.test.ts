/**
 * The delivery core against a fake Topology (no Redis): what the core promises its topology.
 * It reads only once told to lead, hands every version it publishes to the topology, delivers what
 * the topology brings from elsewhere once, and keeps relayed statuses for later subscribers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, expect, it, vi } from 'vitest';
import type { Row, SectionStatus, SectionUpdate } from '../../common/protocol.js';
import { connect, recorder, request, type TestSocket } from '../../test/helpers/client.js';
import { ControlledSection } from '../../test/support/controlledSection.js';
import { silentLogger } from '../log.js';
import { Metrics } from '../metrics/Metrics.js';
import { NodeStats } from '../sections/NodeStats.js';
import { MemorySnapshotStore } from '../sections/SnapshotStore.js';
import { attachProtocol, type OpsdeckIo } from '../socket/attachProtocol.js';
import { DeliveryCore } from './DeliveryCore.js';
import type { DeliveryNode, Topology } from './Topology.js';

/** A topology the test drives: it never leads by itself and records what it was told. */
class FakeTopology implements Topology {
  readonly store = new MemorySnapshotStore();
  node: DeliveryNode | undefined;
  leading = false;
  readonly shared: SectionUpdate[] = [];
  readonly statuses: SectionStatus[] = [];
  isLeader = () => this.leading;
  nodeRows = async (own: () => Promise<Row>) => [await own(), { nodeId: 'elsewhere' }];
  start(node: DeliveryNode): void {
    this.node = node;
  }
  published(update: SectionUpdate): void {
    this.shared.push(update);
  }
  statusChanged(status: SectionStatus): void {
    this.statuses.push(status);
  }
  readiness = () => Promise.resolve();
  close = () => Promise.resolve();
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function compose(section: ControlledSection) {
  const http = createServer();
  const io: OpsdeckIo = new Server(http, { serveClient: false });
  const metrics = new Metrics();
  const log = silentLogger();
  const stats = new NodeStats();
  const topology = new FakeTopology();
  const core = new DeliveryCore({
    io,
    topology,
    sections: [section.spec],
    watchers: () => [],
    stats,
    metrics,
    log,
    engineTiming: { settleMs: 0, minGapMs: 0 },
  });
  const catalog = () => ({
    server: { name: 'opsdeck', version: '0', nodeId: stats.nodeId, clusterSize: 1 },
    sections: core.catalog(),
  });
  attachProtocol(io, { engine: core, catalog, metrics, log });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  core.start();
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const sockets: TestSocket[] = [];
  cleanup.push(async () => {
    for (const s of sockets) s.close();
    await core.stop();
    await io.close();
    stats.stop();
  });
  const client = async () => {
    const socket = await connect(url);
    sockets.push(socket);
    return socket;
  };
  return { core, topology, client };
}

it('reads only while the topology lets it lead, and shares every version it publishes', async () => {
  const a = new ControlledSection('a');
  const { core, topology } = await compose(a);
  core.engine.requestAll();
  await new Promise((r) => setImmediate(r));
  expect(a.reads).toBe(0); // not leading: a follower never reads

  topology.leading = true;
  topology.node?.lead();
  await vi.waitFor(() => expect(topology.shared).toHaveLength(1));
  expect(topology.shared[0]).toMatchObject({ section: 'a', rows: [{ v: 0 }] });

  await topology.node?.follow();
  topology.leading = false;
  const reads = a.reads;
  core.engine.request('a');
  await new Promise((r) => setImmediate(r));
  expect(a.reads).toBe(reads);
});

it('delivers versions from elsewhere once, and relayed statuses to later subscribers', async () => {
  const a = new ControlledSection('a');
  const { topology, client } = await compose(a);
  const socket = await client();
  const seen = recorder(socket);
  await request(socket, 'subscribe', { sections: ['a'] });
  const update: SectionUpdate = {
    section: 'a',
    version: 7,
    rows: [{ v: 'from the leader' }],
    columns: [{ name: 'v', type: 'string' }],
    changedAt: new Date().toISOString(),
    queriedAt: new Date().toISOString(),
  };
  // What ClusterNode does with an accepted `opsdeck:snapshot`: store, then deliver.
  await topology.store.publish({
    section: 'a',
    result: { rows: update.rows, columns: update.columns, truncated: false },
    hash: 'h',
    changedAt: Date.now(),
    queriedAt: Date.now(),
  });
  topology.node?.deliver(update);
  await vi.waitFor(() => expect(seen.updates).toEqual([update]));

  const status: SectionStatus = { section: 'a', healthy: true, warning: 'feed not verified' };
  topology.node?.relayStatus(status);
  await vi.waitFor(() => expect(seen.statuses).toEqual([status]));
  expect(topology.statuses).toEqual([]); // relayed, not re-shared

  const later = await client();
  const laterSeen = recorder(later);
  await request(later, 'subscribe', { sections: ['a'] });
  await vi.waitFor(() => expect(laterSeen.statuses).toEqual([status]));
});

it("lists the topology's node rows in `$cluster` and counts them as the cluster size", async () => {
  const { core, client } = await compose(new ControlledSection('a'));
  const socket = await client();
  const seen = recorder(socket);
  await request(socket, 'subscribe', { sections: ['$cluster'] });
  await vi.waitFor(() => expect(seen.latest('$cluster')?.rows).toHaveLength(2));
  expect(seen.latest('$cluster')?.rows[1]).toEqual({ nodeId: 'elsewhere' });
  expect(core.clusterSize()).toBe(2);
});
