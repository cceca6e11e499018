import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../server/config/configSchema.js';
import { configuredParts } from '../server/configuredServer.js';
import { silentLogger } from '../server/log.js';
import { Metrics } from '../server/metrics/Metrics.js';
import { startServer, type RunningServer } from '../server/OpsdeckServer.js';
import { startTempPostgres, type TempPostgres } from '../testkit/tempPostgres.js';
import { connect, recorder, request, waitFor } from './helpers/client.js';
import { createPostgresDatabase } from './helpers/services.js';

/**
 * watch.mode: logical against a PostgreSQL of the test's own (wal_level=logical): the server
 * composition from a configuration (as `serve` builds it), real sockets, real replication.
 */

/** Bounds for the system under test on a loaded two-core machine (it is usually ~10 ms). */
const DELIVERY_MS = 10_000;

let pg: TempPostgres;
const DB = 'shop';
const servers: { server: RunningServer; metrics: Metrics }[] = [];

const SECTIONS = [
  {
    id: 'recent',
    title: 'Recent',
    view: { type: 'table' },
    sql: 'SELECT id, item FROM orders ORDER BY id',
  },
  {
    id: 'totals',
    title: 'Totals',
    view: { type: 'stat' },
    sql: 'SELECT count(*)::int AS n FROM orders',
    tables: ['orders'],
  },
];

/** The server `serve` composes from this configuration, started on port 0. */
async function compose(file: object) {
  const config = configSchema.parse(file);
  const metrics = new Metrics();
  const parts = configuredParts(config, process.cwd(), metrics, silentLogger());
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [],
    sections: parts.sections,
    watchers: parts.watchers,
    readiness: () => parts.source.ping(2000),
    onClose: () => parts.source.close(),
    metrics,
    log: silentLogger(),
  });
  const entry = { server, metrics };
  servers.push(entry);
  return entry;
}

async function serve(watch: Record<string, unknown> = {}, extra: object[] = []) {
  const entry = await compose({
    database: { url: pg.url(DB) },
    watch: { mode: 'logical', ...watch },
    sections: [...SECTIONS, ...extra],
  });
  const { server, metrics } = entry;
  const socket = await connect(server.url);
  const seen = recorder(socket);
  await request(socket, 'subscribe', { sections: ['recent', 'totals'] });
  await waitFor(
    'first snapshots',
    () => seen.latest('recent') && seen.latest('totals'),
    DELIVERY_MS,
  );
  const close = async () => {
    socket.close();
    servers.splice(servers.indexOf(entry), 1);
    await server.close();
  };
  return { server, metrics, socket, seen, close };
}

const items = (seen: ReturnType<typeof recorder>) =>
  (seen.latest('recent')?.rows ?? []).map((r) => r['item']);

const insert = (item: string) => pg.query('INSERT INTO orders (item) VALUES ($1)', [item], DB);

const sectionQueries = async (metrics: Metrics) =>
  (await metrics.sectionQueries.get()).values.reduce((sum, v) => sum + v.value, 0);

/** Sequential and index scans of the user tables, as the statistics collector counts them. */
const userTableScans = async () => {
  const [row] = await pg.query(
    'SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)::int AS n FROM pg_stat_user_tables',
    [],
    DB,
  );
  return Number(row?.['n']);
};

const slot = async () =>
  (
    await pg.query(
      `SELECT active_pid, confirmed_flush_lsn::text AS confirmed FROM pg_replication_slots WHERE slot_name = 'opsdeck_default'`,
      [],
      DB,
    )
  )[0];

describe('watch.mode: logical', () => {
  beforeAll(async () => {
    pg = await startTempPostgres();
    await pg.query(`CREATE DATABASE ${DB}`);
    await pg.query('CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)', [], DB);
    await insert('first');
  }, 120_000);

  afterEach(async () => {
    for (const { server } of servers.splice(0)) await server.close();
  });

  afterAll(async () => {
    await pg.stop();
  });

  it('creates the publication and slot, and an INSERT reaches a socket.io client with no query in between', async () => {
    const scansBefore = await userTableScans();
    const { seen, metrics, close } = await serve();
    const [pub] = await pg.query(
      `SELECT string_agg(tablename, ',') AS t FROM pg_publication_tables WHERE pubname = 'opsdeck_default'`,
      [],
      DB,
    );
    expect(pub?.['t']).toBe('orders');
    expect((await slot())?.['active_pid']).not.toBeNull();

    // Quiet: no section query while nothing changes.
    const quietStart = await sectionQueries(metrics);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a window to measure, not a wait
    expect(await sectionQueries(metrics)).toBe(quietStart);

    const t0 = Date.now();
    await insert('second');
    await waitFor('the insert at the client', () => items(seen).includes('second'), DELIVERY_MS);
    const latencyMs = Date.now() - t0;
    expect(seen.latest('totals')?.rows[0]?.['n']).toBe(2);
    expect(latencyMs).toBeLessThan(DELIVERY_MS);

    // Every scan of a user table the database counted is a section query Opsdeck counted.
    const queries = await sectionQueries(metrics);
    await close(); // its connections end, so their statistics are flushed
    await waitFor(
      'statistics',
      async () => (await userTableScans()) - scansBefore >= queries,
      DELIVERY_MS,
    );
    expect((await userTableScans()) - scansBefore).toBe(queries);
  });

  it('UPDATE, DELETE and TRUNCATE re-run the sections too', async () => {
    const { seen } = await serve();
    await pg.query(`UPDATE orders SET item = 'renamed' WHERE item = 'first'`, [], DB);
    await waitFor('the update', () => items(seen).includes('renamed'), DELIVERY_MS);
    await pg.query(`DELETE FROM orders WHERE item = 'renamed'`, [], DB);
    await waitFor('the delete', () => !items(seen).includes('renamed'), DELIVERY_MS);
    await pg.query('TRUNCATE orders', [], DB);
    await waitFor('the truncate', () => seen.latest('totals')?.rows[0]?.['n'] === 0, DELIVERY_MS);
    await insert('first');
    await waitFor('the insert', () => items(seen).includes('first'), DELIVERY_MS);
  });

  it('warns a section whose table the existing publication does not publish', async () => {
    await pg.query('CREATE TABLE IF NOT EXISTS teams (name text PRIMARY KEY)', [], DB);
    const teams = {
      id: 'teams',
      title: 'Teams',
      view: { type: 'table' },
      sql: 'SELECT name FROM teams',
    };
    const { server } = await serve({}, [teams]);
    const socket = await connect(server.url);
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['teams', 'recent'] });
    await waitFor(
      'the warning',
      () => seen.statuses.find((s) => s.section === 'teams' && s.warning),
      DELIVERY_MS,
    );
    expect(seen.statuses.find((s) => s.section === 'teams')?.warning).toBe(
      'teams not in publication opsdeck_default: changes show up only at the 60 s re-check',
    );
    expect(seen.statuses.filter((s) => s.section === 'recent' && s.warning)).toEqual([]);
    socket.close();
  });

  it('reconnects after the walsender is terminated and loses no change', async () => {
    const { seen } = await serve({ slot: 'opsdeck_default' });
    const [sender] = await pg.query(
      `SELECT pid FROM pg_stat_replication WHERE application_name = 'opsdeck-logical'`,
    );
    expect(sender?.['pid']).toBeDefined();
    await pg.query('SELECT pg_terminate_backend($1)', [sender?.['pid']]);
    await insert('while reconnecting');
    await waitFor(
      'the change after the reconnection',
      () => items(seen).includes('while reconnecting'),
      DELIVERY_MS,
    );
    // Meanwhile the sections said that their feed was down.
    expect(seen.statuses.map((s) => s.warning)).toContainEqual(
      expect.stringMatching(
        /^the logical replication feed is down \(.*\); changes wait in slot opsdeck_default/,
      ),
    );
    expect(seen.statuses.at(-1)?.warning).toBeUndefined();
    await waitFor(
      'the walsender back',
      async () => (await slot())?.['active_pid'] !== null,
      DELIVERY_MS,
    );
  });

  it('delivers a change committed while it was stopped, from the slot', async () => {
    const first = await serve();
    await first.close();
    await waitFor(
      'the slot released',
      async () => (await slot())?.['active_pid'] === null,
      DELIVERY_MS,
    );
    await insert('while stopped');
    const [lsn] = await pg.query('SELECT pg_current_wal_lsn()::text AS l', [], DB);
    const before = await slot();
    // The slot kept the change: its confirmed position is before the commit.
    const behind = await pg.query(`SELECT $1::pg_lsn < $2::pg_lsn AS b`, [
      before?.['confirmed'],
      lsn?.['l'],
    ]);
    expect(behind[0]?.['b']).toBe(true);

    const { seen } = await serve();
    expect(items(seen)).toContain('while stopped');
    // The replayed commit is confirmed once its sections were re-read.
    await waitFor(
      'the slot confirmed past the commit',
      async () => {
        const now = await slot();
        const [r] = await pg.query(`SELECT $1::pg_lsn >= $2::pg_lsn AS ok`, [
          now?.['confirmed'],
          lsn?.['l'],
        ]);
        return r?.['ok'] === true;
      },
      DELIVERY_MS,
    );
  });

  it('on wal_level=replica (the shared server) every section is read once and warned', async () => {
    const shared = await createPostgresDatabase();
    try {
      await shared.admin('CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)');
      await shared.admin(`INSERT INTO orders (item) VALUES ('shared')`);
      const { server } = await compose({
        database: { url: shared.url },
        watch: { mode: 'logical', slot: 'opsdeck_never' },
        sections: SECTIONS,
      });
      const socket = await connect(server.url);
      const seen = recorder(socket);
      await request(socket, 'subscribe', { sections: ['recent'] });
      await waitFor('the first snapshot', () => items(seen).includes('shared'), DELIVERY_MS);
      await waitFor(
        'the warning',
        () => seen.statuses.find((st) => st.warning?.includes('wal_level')),
        DELIVERY_MS,
      );
      expect(seen.statuses.find((st) => st.warning)?.warning).toMatch(
        /^the logical replication feed is down \(logical decoding requires wal_level >= logical\); changes wait in slot opsdeck_never/,
      );
      socket.close();
      for (const entry of servers.splice(0)) await entry.server.close();
    } finally {
      await shared.drop();
    }
  });

  it('reports the WAL the slot retains and /readyz says degraded past watch.maxLagBytes', async () => {
    const { server, metrics } = await serve({ maxLagBytes: 1, intervalMs: 200 });
    await waitFor(
      'a lag figure',
      async () => (await metrics.replicationLagBytes.get()).values[0]?.value,
      DELIVERY_MS,
    );
    const res = await waitFor(
      '/readyz degraded',
      async () => {
        const r = await fetch(`${server.url}/readyz`);
        return r.status === 503 && ((await r.json()) as { reason: string });
      },
      DELIVERY_MS,
    );
    expect(res.reason).toMatch(
      /^degraded: replication slot opsdeck_default retains \d+ bytes of WAL \(watch.maxLagBytes 1\)$/,
    );

    const ok = await serve({ slot: 'opsdeck_second' });
    await waitFor(
      'a lag figure',
      async () => (await ok.metrics.replicationLagBytes.get()).values[0]?.value !== undefined,
      DELIVERY_MS,
    );
    expect((await fetch(`${ok.server.url}/readyz`)).status).toBe(200);
    await pg
      .query(`SELECT pg_drop_replication_slot('opsdeck_second')`, [], DB)
      .catch(() => undefined);
  });
});
