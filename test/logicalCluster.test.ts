/**
 * watch.mode: logical in a 3-node cluster (real `opsdeck serve` processes, shared Redis, a
 * PostgreSQL of the test's own with wal_level=logical): only the leader streams from the slot;
 * kill -9 the leader during a stream of commits and every committed row shows up on the
 * surviving nodes' clients, through the new leader resuming the same slot (the safety re-check
 * is 10 minutes away, so the re-check cannot be what finds them).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTempPostgres, type TempPostgres } from '../testkit/tempPostgres.js';
import { connect, recorder, request, waitFor, type TestSocket } from './helpers/client.js';
import { deleteClusterKeys, randomClusterName, SHARED_REDIS } from './cluster/helpers/fixture.js';
import { startCluster, waitForLeader, type Cluster } from './cluster/helpers/nodes.js';
import { describeCluster } from './cluster/helpers/requirements.js';

/** Bounds for the system under test on a loaded two-core machine. */
const FAILOVER_MS = 20_000;
const LEADER_READY_MS = 30_000;

const name = randomClusterName();
const slotName = `opsdeck_${name.replace(/-/g, '_')}`;
let pg: TempPostgres;
let cluster: Cluster | undefined;
const sockets: TestSocket[] = [];

const SECTIONS = [
  {
    id: 'rows',
    title: 'Every row',
    view: { type: 'table' },
    sql: 'SELECT id FROM events ORDER BY id',
  },
];

const slotHolder = async () =>
  (
    await pg.query(
      'SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1',
      [slotName],
      'app',
    )
  )[0]?.['active_pid'];

await describeCluster('logical feed in a 3-node cluster', { services: ['redis'] }, () => {
  beforeAll(async () => {
    pg = await startTempPostgres();
    await pg.query('CREATE DATABASE app');
    await pg.query('CREATE TABLE events (id serial PRIMARY KEY)', [], 'app');
    cluster = await startCluster(3, {
      database: { url: pg.url('app'), pool: 2 },
      watch: { mode: 'logical', intervalMs: 600_000 },
      cluster: { redis: SHARED_REDIS, name },
      sections: SECTIONS,
    });
    await waitForLeader(cluster.nodes, LEADER_READY_MS);
  }, 180_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await cluster?.stop();
    await deleteClusterKeys(SHARED_REDIS, name);
    await pg.stop();
  });

  it('leader kill -9 during a stream of commits: every committed row shows up', async () => {
    const nodes = cluster?.nodes ?? [];
    const leader = await waitForLeader(nodes);
    const survivors = nodes.filter((n) => n !== leader);
    const seen = await Promise.all(
      survivors.map(async (node) => {
        const socket = await connect(node.url);
        sockets.push(socket);
        const r = recorder(socket);
        await request(socket, 'subscribe', { sections: ['rows'] });
        return r;
      }),
    );
    await waitFor('the slot held', async () => (await slotHolder()) !== null, FAILOVER_MS);
    const firstHolder = await slotHolder();

    const committed: number[] = [];
    const commit = async () => {
      const [row] = await pg.query('INSERT INTO events DEFAULT VALUES RETURNING id', [], 'app');
      committed.push(Number(row?.['id']));
    };
    for (let i = 0; i < 20; i++) await commit();
    const killing = cluster?.kill(leader);
    // Commits go on while the leader dies and another takes over.
    for (let i = 0; i < 60; i++) await commit();
    await killing;
    const newLeader = await waitForLeader(survivors, FAILOVER_MS);
    for (let i = 0; i < 20; i++) await commit();

    const ids = (r: ReturnType<typeof recorder>) =>
      (r.latest('rows')?.rows ?? []).map((row) => Number(row['id']));
    for (const r of seen) {
      await waitFor(
        'every committed row on a surviving node',
        () => ids(r).length === committed.length,
        FAILOVER_MS,
      );
      expect(ids(r)).toEqual(committed);
    }
    // The new leader streams from the same slot (one slot, another walsender).
    const holder = await slotHolder();
    expect(holder).not.toBeNull();
    expect(holder).not.toBe(firstHolder);
    const [count] = await pg.query(
      'SELECT count(*)::int AS n FROM pg_replication_slots',
      [],
      'app',
    );
    expect(count?.['n']).toBe(1);
    expect(newLeader).not.toBe(leader);
  });
});
