/**
 * Binlog mode in a 3-node cluster against a MariaDB of its own: only the leader reads the binary
 * log (one replication thread for the whole cluster), and when the leader is killed with kill -9
 * while rows are being committed, a new leader reads the log and every row committed before,
 * during and after the failover reaches a client on a surviving node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempMariadb } from '../testkit/tempMariadb.js';
import {
  EVENTS_WITH_NOTES,
  privateMariadbUnavailable,
  startSalesMariadb,
} from './helpers/privateMariadb.js';
import { connect, recorder, request, waitFor } from './helpers/client.js';
import { tableSection } from './helpers/serveConfig.js';
import { deleteClusterKeys, randomClusterName, SHARED_REDIS } from './cluster/helpers/fixture.js';
import { startCluster, waitForLeader, type Cluster } from './cluster/helpers/nodes.js';

const name = randomClusterName();
let db: TempMariadb;
let cluster: Cluster;
/** Undone newest first after the file's tests. */
const cleanups: (() => unknown)[] = [];

async function dumpThreads(): Promise<number> {
  const rows = await db.sql(
    "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE command = 'Binlog Dump'",
  );
  return Number(rows[0]?.['n']);
}

const unavailable = privateMariadbUnavailable(import.meta.url);

beforeAll(async () => {
  if (unavailable) return;
  db = await startSalesMariadb(cleanups, {
    tables: [EVENTS_WITH_NOTES],
    binlogReader: true,
  });
  cluster = await startCluster(3, {
    database: { url: db.url('sales', 'opsdeck'), pool: 2 },
    watch: { mode: 'binlog', intervalMs: 3_600_000 },
    cluster: { redis: SHARED_REDIS, name },
    sections: [tableSection('events', 'SELECT COUNT(*) AS n FROM events', ['events'])],
  });
  cleanups.push(
    () => cluster.stop(),
    () => deleteClusterKeys(SHARED_REDIS, name),
  );
}, 180_000);

afterAll(async () => {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
}, 60_000);

describe.skipIf(unavailable !== undefined)('binlog mode in a cluster', () => {
  it('reads the binary log on the leader only, and loses no row when it is killed -9', async () => {
    const leader = await waitForLeader(cluster.nodes, 30_000);
    await waitFor('one replication thread', async () => (await dumpThreads()) === 1, 20_000);
    const survivor = cluster.nodes.find((n) => n !== leader);
    if (!survivor) throw new Error('no second node');
    const socket = await connect(survivor.url);
    cleanups.push(() => socket.close());
    const seen = recorder(socket);
    const count = () => Number(seen.latest('events')?.rows[0]?.['n']);
    await request(socket, 'subscribe', { sections: ['events'] });
    await waitFor('the first snapshot', () => count() === 0, 20_000);

    // Rows committed one at a time, before, during and after the failover.
    let committed = 0;
    const writing = { on: true };
    const writer = (async () => {
      while (writing.on) {
        await db.sql('INSERT INTO sales.events (note) VALUES (?)', [`row ${committed}`]);
        committed += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await waitFor('rows before the failover', () => count() >= 5, 10_000);
    await cluster.kill(leader);
    const atKill = committed;
    const next = await waitForLeader(cluster.live(), 20_000);
    expect(next).not.toBe(leader);
    await waitFor('rows after the failover', () => count() >= atKill + 5, 20_000);
    writing.on = false;
    await writer;
    await waitFor('every committed row', () => count() === committed, 20_000);
    expect(committed).toBeGreaterThan(10);
    await waitFor('one replication thread again', async () => (await dumpThreads()) === 1, 20_000);
  });
});
