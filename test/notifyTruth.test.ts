/**
 * `opsdeck serve` in notify mode is never quietly unhealthy, against a real PostgreSQL: a table
 * without a notify trigger gives its sections a `warning` (on subscribe and when it changes), which
 * clears once the trigger exists; a change made with triggers silenced is found by the safety
 * re-check, counted as missed and warned about; sections without `tables:` follow the tables of
 * their plan; errors carry the HINT; a database that is unreachable at start is said in one line.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { notifyTriggerSql } from '../server/config/notifyTriggerSql.js';
import { connect, recorder, request, type TestSocket } from './helpers/client.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { lastStatus } from './helpers/sectionStatuses.js';
import { tableSection as section, writeServeConfig } from './helpers/serveConfig.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';
import { startTcpProxy } from './helpers/tcpProxy.js';

const CHANNEL = 'opsdeck_truth_test';
let db: TestDatabase;
const cleanups: (() => unknown)[] = [];

async function serve(url: string, sections: object[], intervalMs = 1000): Promise<OpsdeckProcess> {
  const written = writeServeConfig({
    database: { url },
    watch: { mode: 'notify', channel: CHANNEL, intervalMs },
    sections,
  });
  const server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
  cleanups.push(() => server.stop(), written.remove);
  return server;
}

async function subscribed(url: string, sections: string[]) {
  const socket: TestSocket = await connect(url);
  cleanups.push(() => socket.close());
  const seen = recorder(socket);
  await request(socket, 'subscribe', { sections });
  return seen;
}

await describeWithService('postgres', 'serve tells when the notify feed cannot be trusted', () => {
  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.admin('CREATE TABLE agents (id serial PRIMARY KEY, name text NOT NULL)');
    await db.admin('CREATE TABLE orders (id serial PRIMARY KEY, agent_id int, total numeric)');
    await db.admin("INSERT INTO agents (name) VALUES ('Ann')");
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await db.drop();
  });

  it('no trigger: a warning naming the table, on subscribe and at start; it clears once installed', async () => {
    const server = await serve(db.url, [
      section('orders', 'SELECT count(*) AS n FROM orders', ['orders']),
    ]);
    await vi.waitFor(() => expect(server.stdout()).toContain('warning: section orders: orders:'), {
      timeout: 10_000,
    });
    expect(server.stdout()).toContain(
      `orders: it has no trigger that notifies channel "${CHANNEL}": changes show up only at the 1 s re-check`,
    );
    const late = await subscribed(server.url, ['orders']);
    await vi.waitFor(() => {
      const status = lastStatus(late.statuses, 'orders');
      expect(status?.healthy).toBe(true);
      expect(status?.warning).toMatch(/^orders: it has no trigger that notifies/);
    });
    await db.admin(notifyTriggerSql(CHANNEL, ['orders']));
    // Re-verified at the next re-check while anything is wrong.
    await vi.waitFor(
      () => {
        const status = lastStatus(late.statuses, 'orders');
        expect(status?.healthy).toBe(true);
        expect(status?.warning).toBeUndefined();
      },
      { timeout: 10_000 },
    );
    expect(server.stdout()).toContain('notify feed verified');
    await db.admin(`DROP FUNCTION ${CHANNEL}_notify() CASCADE`);
  });

  it('a change no notification announced: counted, warned, cleared by the next notification', async () => {
    await db.admin(notifyTriggerSql(CHANNEL, ['orders']));
    const server = await serve(db.url, [
      section('orders', 'SELECT count(*) AS n FROM orders', ['orders']),
    ]);
    const seen = await subscribed(server.url, ['orders']);
    await vi.waitFor(() => expect(seen.latest('orders')).toBeDefined());
    const missed = async () =>
      metricValue(await scrape(server.url), 'opsdeck_missed_changes_total', { section: 'orders' });
    expect(await missed()).toBe(0);

    // Replication-role sessions (restores, logical replication apply) fire no ordinary triggers:
    // the catalog looks right, yet this change sends no NOTIFY.
    await db.admin(`BEGIN; SET LOCAL session_replication_role = replica;
      INSERT INTO orders (total) VALUES (5); COMMIT`);
    // The re-check finds it by the table's change counters, which PostgreSQL publishes up to
    // 10 s after the commit.
    await vi.waitFor(() => expect(seen.latest('orders')?.rows).toEqual([{ n: 1 }]), {
      timeout: 25_000,
    });
    await vi.waitFor(async () => expect(await missed()).toBe(1));
    expect(lastStatus(seen.statuses, 'orders')?.warning).toMatch(
      /^a change that no notification announced was found by the 1 s re-check/,
    );
    expect(server.stdout()).toContain('warning: section orders: a change that no notification');

    await db.admin('INSERT INTO orders (total) VALUES (6)');
    await vi.waitFor(() => {
      expect(seen.latest('orders')?.rows).toEqual([{ n: 2 }]);
      expect(lastStatus(seen.statuses, 'orders')?.warning).toBeUndefined();
    });
    expect(await missed()).toBe(1);
    await db.admin(`DROP FUNCTION ${CHANNEL}_notify() CASCADE`);
  });

  it('a trigger dropped while serving: the missed change leads to the precise warning', async () => {
    await db.admin(notifyTriggerSql(CHANNEL, ['orders']));
    const server = await serve(db.url, [
      section('orders', 'SELECT count(*) AS n FROM orders', ['orders']),
    ]);
    const seen = await subscribed(server.url, ['orders']);
    await vi.waitFor(() => {
      expect(server.stdout()).toContain('notify feed verified');
      expect(seen.latest('orders')).toBeDefined();
    });
    const before = Number(seen.latest('orders')?.rows[0]?.n);
    await db.admin(`DROP FUNCTION ${CHANNEL}_notify() CASCADE`);
    await db.admin('INSERT INTO orders (total) VALUES (7)');
    await vi.waitFor(
      () => {
        expect(seen.latest('orders')?.rows).toEqual([{ n: before + 1 }]);
        expect(lastStatus(seen.statuses, 'orders')?.warning).toMatch(
          /^orders: it has no trigger that notifies channel/,
        );
      },
      { timeout: 10_000 },
    );
  });

  it('without tables: the section re-runs on a notification for a table of its plan', async () => {
    await db.admin(notifyTriggerSql(CHANNEL, ['orders', 'agents']));
    const sql =
      'SELECT a.name, count(o.id) AS n FROM agents a LEFT JOIN orders o ON o.agent_id = a.id GROUP BY a.name ORDER BY a.name';
    // A long re-check: only a notification can bring the change in time.
    const server = await serve(db.url, [section('by_agent', sql)], 600_000);
    const seen = await subscribed(server.url, ['by_agent']);
    await vi.waitFor(() => expect(seen.latest('by_agent')).toBeDefined());
    await vi.waitFor(() => expect(server.stdout()).toContain('notify feed verified'));
    await db.admin("INSERT INTO agents (name) VALUES ('Bo')");
    await vi.waitFor(() =>
      expect(seen.latest('by_agent')?.rows.map((r) => r.name)).toEqual(['Ann', 'Bo']),
    );
    expect(lastStatus(seen.statuses, 'by_agent')?.warning).toBeUndefined();
    await db.admin(`DROP FUNCTION ${CHANNEL}_notify() CASCADE`);
  });

  it("a failing section's error carries the database's HINT", async () => {
    const server = await serve(db.url, [section('broken', 'SELECT totl FROM orders', ['orders'])]);
    const seen = await subscribed(server.url, ['broken']);
    await vi.waitFor(() =>
      expect(lastStatus(seen.statuses, 'broken')).toMatchObject({
        healthy: false,
        error:
          'column "totl" does not exist\nHINT: Perhaps you meant to reference the column "orders.total".',
      }),
    );
  });

  it('with --workers, the unreachable database is said once, not once per worker', async () => {
    const written = writeServeConfig({
      database: { url: 'postgres://postgres@127.0.0.1:1/nothing' },
      cluster: { redis: 'redis://127.0.0.1:6379', name: `truth-workers-${process.pid}` },
      sections: [section('a', 'SELECT 1 AS x')],
    });
    const server = await startOpsdeck(
      ['serve', '--config', written.file, '--port', '0', '--workers', '2'],
      { OPSDECK_LOG_LEVEL: 'debug' },
      30_000,
    );
    cleanups.push(() => server.stop(), written.remove);
    // Every worker pings at start and logs its failure (JSON, with its pid) on stderr.
    const failedPids = () =>
      new Set(
        server
          .stderr()
          .split('\n')
          .filter((l) => l.includes('database still unreachable'))
          .map((l) => (JSON.parse(l) as { pid: number }).pid),
      );
    await vi.waitFor(() => expect(failedPids().size).toBe(2), { timeout: 20_000 });
    expect(server.stdout().match(/database unreachable/g)).toHaveLength(1);
  });

  it('a database unreachable at start: one plain line, then a line and data once it answers', async () => {
    const proxy = await startTcpProxy(Number(new URL(db.url).port || 5432));
    cleanups.push(() => proxy.close());
    proxy.cut();
    const url = db.url.replace(/:\d+\//, `:${proxy.port}/`);
    const server = await serve(
      url,
      // Without tables: the plan says which; unplannable while the database is away.
      [section('orders', 'SELECT count(*) AS n FROM orders')],
      600_000,
    );
    await vi.waitFor(() =>
      expect(server.stdout()).toMatch(
        /database unreachable: postgres:\/\/\S+: .+; retrying every 5 s \(the sections show as failing until it answers\)\n/,
      ),
    );
    expect(server.stdout().match(/database unreachable/g)).toHaveLength(1);
    const seen = await subscribed(server.url, ['orders']);
    proxy.restore();
    await vi.waitFor(() => expect(server.stdout()).toContain('database reachable: postgres://'), {
      timeout: 15_000,
    });
    // At once, not at the end of the failing section's backoff.
    await vi.waitFor(() => expect(seen.latest('orders')?.rows).toBeDefined(), { timeout: 5_000 });
    // The feed is verified once the database answers (orders has no trigger since the first
    // test); the database's absence was never blamed on the SQL.
    await vi.waitFor(() => expect(server.stdout()).toContain('warning: section orders: orders:'), {
      timeout: 15_000,
    });
    expect(server.stdout()).not.toContain('cannot tell which tables');
  });
});
