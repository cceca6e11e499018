/**
 * `opsdeck serve` against a real PostgreSQL: notify mode (LISTEN/NOTIFY with statement triggers),
 * burst coalescing, query counts independent of clients, LISTEN connection loss, poll mode with a
 * probe, and a database that goes away (through a TCP proxy) and comes back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SectionStatus } from '../common/protocol.js';
import { notifyTriggerSql } from '../server/config/notifyTriggerSql.js';
import { connect, recorder, request, waitFor, type TestSocket } from './helpers/client.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { writeServeConfig } from './helpers/serveConfig.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy.js';

let db: TestDatabase;
const cleanups: (() => unknown)[] = [];

const SECTIONS = [
  {
    id: 'recent',
    title: 'Latest orders',
    view: { type: 'table' },
    sql: 'SELECT id, customer, total, created_at FROM orders ORDER BY id DESC LIMIT 5',
    tables: ['orders'],
  },
  {
    id: 'totals',
    title: 'Totals',
    view: { type: 'stat' },
    sql: 'SELECT count(*) AS orders, coalesce(sum(total), 0) AS revenue FROM orders',
    tables: ['public.orders'],
  },
  {
    id: 'teams',
    title: 'Teams',
    view: { type: 'table' },
    sql: 'SELECT name FROM teams ORDER BY name',
    tables: ['teams'],
  },
];

async function serve(config: object): Promise<OpsdeckProcess> {
  const written = writeServeConfig(config);
  const server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
  cleanups.push(() => server.stop(), written.remove);
  return server;
}

async function client(url: string): Promise<TestSocket> {
  const socket = await connect(url);
  cleanups.push(() => socket.close());
  return socket;
}

/** `serve` in notify mode on SECTIONS with one client subscribed, every first snapshot in. */
async function notifyServer(sections: string[]) {
  const server = await serve({
    database: { url: db.url },
    watch: { mode: 'notify' },
    sections: SECTIONS,
  });
  const socket = await client(server.url);
  const seen = recorder(socket);
  await request(socket, 'subscribe', { sections });
  await waitFor(`first snapshots of ${sections.join(', ')}`, () =>
    sections.every((id) => seen.latest(id)),
  );
  return { server, socket, seen };
}

const queries = async (url: string, section: string) =>
  metricValue(await scrape(url), 'opsdeck_section_queries_total', { section });

const insertOrder = (customer: string, total = 10) =>
  db.admin('INSERT INTO orders (customer, total) VALUES ($1, $2)', [customer, total]);

await describeWithService('postgres', 'PostgreSQL', () => {
  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.admin(`CREATE TABLE orders (
      id serial PRIMARY KEY, customer text NOT NULL, total numeric(10,2) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    await db.admin('CREATE TABLE teams (name text PRIMARY KEY)');
    await db.admin("INSERT INTO teams VALUES ('North'), ('South')");
    await db.admin(notifyTriggerSql('opsdeck_changes', ['orders', 'teams']));
    await db.admin(`CREATE PROCEDURE burst(n int) LANGUAGE plpgsql AS $$
      BEGIN
        FOR i IN 1..n LOOP
          INSERT INTO orders (customer, total) VALUES ('Burst ' || i, 1);
          COMMIT;
        END LOOP;
      END $$`);
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await db.drop();
  });

  it('notify mode: an INSERT reaches a subscribed client, other tables sections do not re-run', async () => {
    const { server, seen } = await notifyServer(['recent', 'totals', 'teams']);
    const teamsQueries = await queries(server.url, 'teams');

    await insertOrder('Acme Corp', 123.45);
    const update = await waitFor('the new order', () =>
      seen.updates.find(
        (u) => u.section === 'recent' && u.rows.some((r) => r.customer === 'Acme Corp'),
      ),
    );
    expect(update.rows[0]).toMatchObject({ customer: 'Acme Corp', total: 123.45 });
    expect(update.columns).toEqual([
      { name: 'id', type: 'number' },
      { name: 'customer', type: 'string' },
      { name: 'total', type: 'number' },
      { name: 'created_at', type: 'time' },
    ]);
    expect(update.rows[0]?.created_at).toMatch(/Z$/);
    await waitFor('totals', () => seen.latest('totals')?.rows[0]?.orders === 1);
    expect(await queries(server.url, 'teams')).toBe(teamsQueries);
  });

  it('notify mode: 1,000 inserts in a burst cost at most a few dozen queries per section', async () => {
    const { server, seen } = await notifyServer(['totals']);
    const before = Number(seen.latest('totals')?.rows[0]?.orders);
    const q0 = await queries(server.url, 'totals');
    // 1,000 separate transactions (1,000 NOTIFYs) as fast as the database can commit them: a
    // procedure that commits after each row, so the burst does not depend on client round trips.
    const burstStart = Date.now();
    await db.admin('CALL burst(1000)');
    const burstMs = Date.now() - burstStart;
    await waitFor(
      'all 1,000',
      () => Number(seen.latest('totals')?.rows[0]?.orders) === before + 1000,
      15_000,
    );
    const cost = (await queries(server.url, 'totals')) - q0;
    expect(cost).toBeGreaterThanOrEqual(1);
    // Runs of a section start at least 100 ms apart (the engine's minGapMs): the burst's length
    // (longer on a loaded machine) bounds the reads, not its 1,000 notifications.
    expect(cost).toBeLessThanOrEqual(Math.max(36, Math.ceil(burstMs / 100) + 6));
    expect(await queries(server.url, 'teams')).toBe(1);
  });

  it('notify mode: the query count with 1 and with 200 subscribed clients is the same', async () => {
    const { server, seen } = await notifyServer(['recent', 'totals']);

    const round = async (label: string) => {
      const start = (await queries(server.url, 'recent')) + (await queries(server.url, 'totals'));
      for (let i = 0; i < 5; i++) {
        await insertOrder(`${label} ${i}`);
        await waitFor(
          `${label} ${i}`,
          () => seen.latest('recent')?.rows[0]?.customer === `${label} ${i}`,
        );
        await new Promise((r) => setTimeout(r, 150)); // past the minimum gap: one query per change
      }
      return (await queries(server.url, 'recent')) + (await queries(server.url, 'totals')) - start;
    };

    const withOne = await round('one client');
    const crowd = await Promise.all(Array.from({ length: 199 }, () => client(server.url)));
    await Promise.all(
      crowd.map((s) => request(s, 'subscribe', { sections: ['recent', 'totals'] })),
    );
    const withMany = await round('200 clients');
    expect(withOne).toBe(10);
    expect(withMany).toBe(withOne);
    expect(metricValue(await scrape(server.url), 'opsdeck_connected_clients')).toBe(200);
  });

  it('notify mode: after the LISTEN connection is killed it re-LISTENs, re-runs and keeps delivering', async () => {
    const { seen } = await notifyServer(['recent']);
    const killed = await db.admin(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
       WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
    );
    expect(killed.length).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1500)); // reconnect backoff
    await insertOrder('After reconnect');
    await waitFor(
      'the order after reconnect',
      () => seen.latest('recent')?.rows[0]?.customer === 'After reconnect',
      8000,
    );
  });

  it('poll mode with a probe: only the probe runs while nothing changes', async () => {
    const server = await serve({
      database: { url: db.url },
      watch: { mode: 'poll', intervalMs: 150 },
      sections: [
        { ...SECTIONS[0], probe: 'SELECT max(id) AS last FROM orders' },
        { ...SECTIONS[1] },
      ],
    });
    const socket = await client(server.url);
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['recent', 'totals'] });
    await waitFor('snapshots', () => seen.latest('recent') && seen.latest('totals'));
    // The start: the first read, and the one the first probe asks for (it has no earlier result
    // to compare with). From then on, nothing changes.
    const text0 = await waitFor('the first probe and the read it caused', async () => {
      const text = await scrape(server.url);
      const probes = metricValue(text, 'opsdeck_probe_queries_total', { section: 'recent' });
      const reads = metricValue(text, 'opsdeck_section_queries_total', { section: 'recent' });
      return probes >= 1 && reads >= 2 && text;
    });
    expect(metricValue(text0, 'opsdeck_section_queries_total', { section: 'recent' })).toBe(2);
    // Count from here until at least three poll periods have run (however slow the machine is):
    // the probe ran each time, the section behind it never did.
    let text1 = text0;
    const delta = (name: string, section: string) =>
      metricValue(text1, name, { section }) - metricValue(text0, name, { section });
    await waitFor('three probe periods and three polls', async () => {
      text1 = await scrape(server.url);
      return (
        delta('opsdeck_probe_queries_total', 'recent') >= 3 &&
        delta('opsdeck_section_queries_total', 'totals') >= 3 // no probe: polls
      );
    });
    expect(delta('opsdeck_section_queries_total', 'recent')).toBe(0);
    const versions = seen.updates.length;
    expect(versions).toBe(2); // unchanged results are never sent again

    await insertOrder('Polled order');
    await waitFor(
      'the polled order',
      () => seen.latest('recent')?.rows[0]?.customer === 'Polled order',
    );
    const info = (
      await request<{ ok: true; sections: { id: string; mode: string; intervalMs?: number }[] }>(
        socket,
        'catalog',
      )
    ).sections;
    expect(info.find((s) => s.id === 'recent')).toMatchObject({ mode: 'poll', intervalMs: 150 });
  });

  it('a database that goes away and comes back: unhealthy, 503, then recovery by itself', async () => {
    const proxy: TcpProxy = await startTcpProxy(5432);
    cleanups.push(() => proxy.close());
    const url = db.url.replace(':5432/', `:${proxy.port}/`);
    const server = await serve({
      database: { url, statementTimeoutMs: 2000 },
      watch: { mode: 'notify', intervalMs: 500 },
      sections: SECTIONS,
    });
    const socket = await client(server.url);
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['recent', 'teams'] });
    await waitFor('snapshots', () => seen.latest('recent') && seen.latest('teams'));
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    proxy.cut();
    const down = await waitFor('recent unhealthy', () =>
      seen.statuses.find((s: SectionStatus) => s.section === 'recent' && !s.healthy),
    );
    expect(down.error?.length).toBeGreaterThan(0);
    expect(down.lastOkAt).toBeDefined();
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { ok: boolean; reason: string }).reason.length).toBeGreaterThan(
      0,
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // The last good rows stay available to new subscribers, with the status.
    const late = await client(server.url);
    const lateSeen = recorder(late);
    await request(late, 'subscribe', { sections: ['recent'] });
    await waitFor(
      'snapshot and status for a late subscriber',
      () => lateSeen.latest('recent') && lateSeen.statuses.length > 0,
    );

    await insertOrder('Written during the outage'); // straight to PostgreSQL, not through the proxy
    proxy.restore();
    await waitFor(
      'recovery',
      () => seen.statuses.find((s) => s.section === 'recent' && s.healthy),
      20_000,
    );
    await waitFor(
      'the order written during the outage',
      () => seen.latest('recent')?.rows[0]?.customer === 'Written during the outage',
      10_000,
    );
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('a database that is down at start: the server starts anyway and recovers', async () => {
    const proxy = await startTcpProxy(5432);
    cleanups.push(() => proxy.close());
    proxy.cut();
    const url = db.url.replace(':5432/', `:${proxy.port}/`);
    const server = await serve({
      database: { url },
      watch: { mode: 'poll', intervalMs: 300 },
      sections: SECTIONS,
    });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    const socket = await client(server.url);
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['totals'] });
    await waitFor('unhealthy status', () => seen.statuses.find((s) => !s.healthy));
    expect(seen.updates).toEqual([]);
    proxy.restore();
    await waitFor('first snapshot', () => seen.latest('totals'), 20_000);
    expect(seen.statuses.at(-1)).toMatchObject({ section: 'totals', healthy: true });
  });
});
