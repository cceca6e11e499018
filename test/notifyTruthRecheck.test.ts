/**
 * The notify-mode safety re-check against a real PostgreSQL: while nothing changes it reads only
 * PostgreSQL's change counters (no section query, no user table), except for SQL that reads the
 * clock; a change no notification announced moves the counters, and only the sections reading
 * that table re-run.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { notifyTriggerSql } from '../server/config/notifyTriggerSql.js';
import { connect, recorder, request } from './helpers/client.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { startOpsdeck } from './helpers/opsdeckProcess.js';
import { tableSection as section, writeServeConfig } from './helpers/serveConfig.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';

const CHANNEL = 'opsdeck_recheck_test';
let db: TestDatabase;
const cleanups: (() => unknown)[] = [];

await describeWithService('postgres', 'notify re-check by table counters', () => {
  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.admin('CREATE TABLE orders (id serial PRIMARY KEY, total numeric)');
    await db.admin('CREATE TABLE agents (id serial PRIMARY KEY, name text)');
    await db.admin('CREATE TABLE calls (id serial PRIMARY KEY, at timestamptz DEFAULT now())');
    await db.admin(notifyTriggerSql(CHANNEL, ['orders', 'agents', 'calls']));
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await db.drop();
  });

  it('quiet: re-checks run no section query; an unannounced change re-runs only its sections', async () => {
    const written = writeServeConfig({
      database: { url: db.url },
      watch: { mode: 'notify', channel: CHANNEL, intervalMs: 500 },
      sections: [
        section('orders', 'SELECT count(*) AS n FROM orders', ['orders']),
        section('agents', 'SELECT count(*) AS n FROM agents', ['agents']),
        section('clocked', 'SELECT count(*) AS n FROM agents WHERE now() IS NOT NULL', ['agents']),
      ],
    });
    const server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
    cleanups.push(() => server.stop(), written.remove);
    const socket = await connect(server.url);
    cleanups.push(() => socket.close());
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['orders', 'agents', 'clocked'] });
    await vi.waitFor(() => expect(server.stdout()).toContain('notify feed verified'));
    const queries = async (id: string) =>
      metricValue(await scrape(server.url), 'opsdeck_section_queries_total', { section: id });

    // The section that reads the clock re-runs at every re-check: its count counts them.
    const rechecks = async (runs: number) => {
      const from = await queries('clocked');
      await vi.waitFor(
        async () => expect(await queries('clocked')).toBeGreaterThanOrEqual(from + runs),
        {
          timeout: 20_000,
          interval: 50,
        },
      );
    };
    // The first re-check has no counters to compare with: it re-reads both sections once.
    await rechecks(2);
    const before = { orders: await queries('orders'), agents: await queries('agents') };
    await rechecks(4);
    expect({ orders: await queries('orders'), agents: await queries('agents') }).toEqual(before);

    // Triggers silenced: only the counters show this change. PostgreSQL publishes them up to
    // 10 s after the commit, hence the long wait.
    await db.admin(`BEGIN; SET LOCAL session_replication_role = replica;
      INSERT INTO orders (total) VALUES (5); COMMIT`);
    await vi.waitFor(() => expect(seen.latest('orders')?.rows).toEqual([{ n: 1 }]), {
      timeout: 25_000,
    });
    expect(await queries('orders')).toBeGreaterThan(before.orders);
    await rechecks(2);
    expect(await queries('agents')).toBe(before.agents);
  });
  it('a "recent" section that changes only because time passed is not a missed change', async () => {
    const written = writeServeConfig({
      database: { url: db.url },
      watch: { mode: 'notify', channel: CHANNEL, intervalMs: 500 },
      sections: [
        section(
          'recent_calls',
          "SELECT count(*)::int AS n FROM calls WHERE at > now() - interval '2 seconds'",
          ['calls'],
        ),
      ],
    });
    const server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
    cleanups.push(() => server.stop(), written.remove);
    const socket = await connect(server.url);
    cleanups.push(() => socket.close());
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['recent_calls'] });
    await vi.waitFor(() => expect(server.stdout()).toContain('notify feed verified'));

    // Announced by the trigger: the call shows up; two seconds later the re-check finds the
    // count back at 0 with no table changed. That is the clock, not a missing trigger.
    await db.admin('INSERT INTO calls DEFAULT VALUES');
    await vi.waitFor(() => expect(seen.latest('recent_calls')?.rows).toEqual([{ n: 1 }]), {
      timeout: 10_000,
    });
    await vi.waitFor(() => expect(seen.latest('recent_calls')?.rows).toEqual([{ n: 0 }]), {
      timeout: 15_000,
    });
    // Two more re-checks, so that a warning (sent with the update) would have arrived.
    const versionAtZero = seen.latest('recent_calls')?.version;
    const queries = async () =>
      metricValue(await scrape(server.url), 'opsdeck_section_queries_total', {
        section: 'recent_calls',
      });
    const from = await queries();
    await vi.waitFor(async () => expect(await queries()).toBeGreaterThanOrEqual(from + 2), {
      timeout: 20_000,
      interval: 50,
    });
    expect(seen.latest('recent_calls')?.version).toBe(versionAtZero);
    expect(seen.statuses.filter((st) => st.section === 'recent_calls' && st.warning)).toEqual([]);
    expect(server.stdout()).not.toContain('warning: section recent_calls');
    expect(
      metricValue(await scrape(server.url), 'opsdeck_missed_changes_total', {
        section: 'recent_calls',
      }),
    ).toBe(0);
  });
});
