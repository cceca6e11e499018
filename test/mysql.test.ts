/**
 * `opsdeck serve` against a real MariaDB in poll mode, through real processes and sockets: changes
 * reach subscribers with typed columns, a probe keeps the section query from running while nothing
 * changes, unchanged results are never sent again, a broken section fails alone, and both URL
 * forms (mysql://, mariadb://) work.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { connect, recorder, request, waitFor, type TestSocket } from './helpers/client.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { writeServeConfig } from './helpers/serveConfig.js';
import { createMysqlDatabase, describeWithService, type TestDatabase } from './helpers/services.js';

let db: TestDatabase;
/** Servers, sockets and config files to remove, newest first. */
const cleanups: (() => unknown)[] = [];

async function cleanUp(): Promise<void> {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
}

const POLL = { mode: 'poll', intervalMs: 200 };

const RECENT = {
  id: 'recent',
  title: 'Latest orders',
  view: { type: 'table' },
  sql: 'SELECT id, customer, total, created_at FROM orders ORDER BY id DESC LIMIT 5',
};
const TOTALS = {
  id: 'totals',
  title: 'Totals',
  view: { type: 'stat' },
  sql: 'SELECT COUNT(*) AS orders, COALESCE(SUM(total), 0) AS revenue FROM orders',
};
const TEAMS = {
  id: 'teams',
  title: 'Teams',
  view: { type: 'table' },
  sql: 'SELECT name FROM teams ORDER BY name',
};

async function serve(config: object): Promise<OpsdeckProcess> {
  const written = writeServeConfig(config);
  const server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
  cleanups.push(() => stop(server), written.remove);
  return server;
}

/** SIGTERM, and SIGKILL if the process has not exited a few seconds later. */
async function stop(server: OpsdeckProcess): Promise<number | null> {
  const timer = setTimeout(() => void server.stop('SIGKILL'), 5000);
  try {
    return await server.stop();
  } finally {
    clearTimeout(timer);
  }
}

async function client(url: string): Promise<TestSocket> {
  const socket = await connect(url);
  cleanups.push(() => socket.close());
  return socket;
}

/** Connects, subscribes and waits for the first snapshot of every named section. */
async function subscribed(url: string, sections: string[]) {
  const socket = await client(url);
  const seen = recorder(socket);
  await request(socket, 'subscribe', { sections });
  await waitFor(`snapshots of ${sections.join(', ')}`, () =>
    sections.every((id) => seen.latest(id) !== undefined),
  );
  return { socket, seen };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Per-section counter increases between two scrapes. */
function deltas(before: string, after: string, name: string, section: string): number {
  return metricValue(after, name, { section }) - metricValue(before, name, { section });
}

const insertOrder = (customer: string, total: number, createdAt = '2024-03-01 12:34:56.789') =>
  db.admin('INSERT INTO orders (customer, total, created_at) VALUES (?, ?, ?)', [
    customer,
    total,
    createdAt,
  ]);

await describeWithService('mysql', 'MariaDB', () => {
  beforeAll(async () => {
    db = await createMysqlDatabase();
    await db.admin(`CREATE TABLE orders (
      id INT AUTO_INCREMENT PRIMARY KEY, customer VARCHAR(80) NOT NULL,
      total DECIMAL(10, 2) NOT NULL, created_at DATETIME(3) NOT NULL)`);
    await db.admin('CREATE TABLE teams (name VARCHAR(40) PRIMARY KEY)');
    await db.admin("INSERT INTO teams VALUES ('North'), ('South')");
  });

  // Each test's server stops when the test ends, so idle pollers do not load the next one.
  afterEach(cleanUp);

  afterAll(async () => {
    await cleanUp();
    await db.drop();
  });

  it('poll mode: an INSERT and an UPDATE reach a subscribed client, with typed columns', async () => {
    const server = await serve({
      database: { url: db.url },
      watch: POLL,
      sections: [RECENT, TOTALS],
    });
    const { seen } = await subscribed(server.url, ['recent', 'totals']);
    expect(seen.latest('recent')?.rows).toEqual([]);

    await insertOrder('Acme Corp', 123.45);
    const inserted = await waitFor('the new order', () =>
      seen.updates.find(
        (u) => u.section === 'recent' && u.rows.some((r) => r.customer === 'Acme Corp'),
      ),
    );
    expect(inserted.columns).toEqual([
      { name: 'id', type: 'number' },
      { name: 'customer', type: 'string' },
      { name: 'total', type: 'number' },
      { name: 'created_at', type: 'time' },
    ]);
    expect(inserted.rows[0]).toEqual({
      id: expect.any(Number) as unknown,
      customer: 'Acme Corp',
      total: 123.45,
      created_at: '2024-03-01T12:34:56.789Z',
    });
    const totals = await waitFor('totals after the insert', () => {
      const latest = seen.latest('totals');
      return latest?.rows[0]?.orders === 1 ? latest : undefined;
    });
    expect(totals.rows).toEqual([{ orders: 1, revenue: 123.45 }]);
    expect(totals.columns).toEqual([
      { name: 'orders', type: 'number' },
      { name: 'revenue', type: 'number' },
    ]);

    await db.admin("UPDATE orders SET total = 99.99 WHERE customer = 'Acme Corp'");
    const updated = await waitFor('the updated order', () => {
      const latest = seen.latest('recent');
      return latest?.rows[0]?.total === 99.99 ? latest : undefined;
    });
    expect(updated.version).toBeGreaterThan(inserted.version);
    await waitFor(
      'totals after the update',
      () => seen.latest('totals')?.rows[0]?.revenue === 99.99,
    );
  });

  it('poll mode: an unchanged result is queried again but never sent again', async () => {
    const server = await serve({
      database: { url: db.url },
      watch: POLL,
      sections: [RECENT, TOTALS],
    });
    const { seen } = await subscribed(server.url, ['recent', 'totals']);
    await sleep(300);
    const sent = seen.updates.length;
    const before = await scrape(server.url);
    await sleep(1000);
    const after = await scrape(server.url);
    // No probe: each poll runs the section's query, and the engine drops the identical result.
    expect(deltas(before, after, 'opsdeck_section_queries_total', 'recent')).toBeGreaterThanOrEqual(
      3,
    );
    expect(deltas(before, after, 'opsdeck_section_updates_total', 'recent')).toBe(0);
    expect(metricValue(after, 'opsdeck_section_updates_total', { section: 'recent' })).toBe(1);
    expect(seen.updates.length).toBe(sent);
  });

  it('poll mode with a probe: only the probe runs while nothing changes, the query when it does', async () => {
    const server = await serve({
      database: { url: db.url },
      watch: POLL,
      sections: [{ ...RECENT, probe: 'SELECT COUNT(*) AS n, MAX(id) AS last FROM orders' }, TOTALS],
    });
    const { socket, seen } = await subscribed(server.url, ['recent', 'totals']);
    await sleep(400); // past the first probe, which has nothing to compare with and runs the query
    const sent = seen.updates.length;
    const text0 = await scrape(server.url);
    await sleep(1000);
    const text1 = await scrape(server.url);
    expect(deltas(text0, text1, 'opsdeck_section_queries_total', 'recent')).toBe(0);
    expect(deltas(text0, text1, 'opsdeck_probe_queries_total', 'recent')).toBeGreaterThanOrEqual(3);
    // Without a probe, the other section polls its query.
    expect(deltas(text0, text1, 'opsdeck_section_queries_total', 'totals')).toBeGreaterThanOrEqual(
      3,
    );
    expect(deltas(text0, text1, 'opsdeck_probe_queries_total', 'totals')).toBe(0);
    expect(seen.updates.length).toBe(sent);

    await insertOrder('Probed order', 7.5, '2024-03-02 08:00:00');
    const update = await waitFor('the probed order', () => {
      const latest = seen.latest('recent');
      return latest?.rows[0]?.customer === 'Probed order' ? latest : undefined;
    });
    expect(update.rows[0]).toMatchObject({ total: 7.5, created_at: '2024-03-02T08:00:00.000Z' });
    const text2 = await scrape(server.url);
    expect(deltas(text1, text2, 'opsdeck_section_queries_total', 'recent')).toBeGreaterThanOrEqual(
      1,
    );

    const catalog = await request<{ ok: true; sections: { id: string; mode: string }[] }>(
      socket,
      'catalog',
    );
    expect(catalog.sections.find((s) => s.id === 'recent')).toMatchObject({
      mode: 'poll',
      intervalMs: 200,
    });
  });

  it('a section with bad SQL reports the MariaDB error; the other sections keep updating', async () => {
    const server = await serve({
      database: { url: db.url },
      watch: POLL,
      sections: [
        TOTALS,
        {
          id: 'broken',
          title: 'Broken',
          view: { type: 'table' },
          sql: 'SELECT * FROM no_such_table',
        },
      ],
    });
    const socket = await client(server.url);
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['totals', 'broken'] });
    const status = await waitFor('broken unhealthy', () =>
      seen.statuses.find((s) => s.section === 'broken' && !s.healthy),
    );
    expect(status.error).toMatch(new RegExp(`Table '${db.name}\\.no_such_table' doesn't exist`));
    expect(seen.statuses.filter((s) => s.section === 'totals' && !s.healthy)).toEqual([]);
    await waitFor('totals', () => seen.latest('totals'));

    const orders = Number(seen.latest('totals')?.rows[0]?.orders);
    await insertOrder('While broken', 1);
    await waitFor(
      'totals after the insert',
      () => seen.latest('totals')?.rows[0]?.orders === orders + 1,
    );
    expect(seen.latest('broken')).toBeUndefined();
    const metrics = await scrape(server.url);
    expect(metricValue(metrics, 'opsdeck_section_healthy', { section: 'broken' })).toBe(0);
    expect(
      metricValue(metrics, 'opsdeck_section_errors_total', { section: 'broken' }),
    ).toBeGreaterThan(0);
    expect(seen.statuses.filter((s) => s.section === 'broken' && s.healthy)).toEqual([]);
  });

  it('a mariadb:// URL works as well as mysql://, and SIGTERM exits 0', async () => {
    expect(db.url).toMatch(/^mysql:\/\//);
    const server = await serve({
      database: { url: db.url.replace(/^mysql:/, 'mariadb:') },
      watch: POLL,
      sections: [TEAMS],
    });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const { seen } = await subscribed(server.url, ['teams']);
    expect(seen.latest('teams')?.rows).toEqual([{ name: 'North' }, { name: 'South' }]);
    await db.admin("INSERT INTO teams VALUES ('East')");
    await waitFor('the new team', () => seen.latest('teams')?.rows.length === 3);
    expect(await stop(server)).toBe(0);
  });
});
