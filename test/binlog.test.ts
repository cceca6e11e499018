/**
 * `opsdeck serve` in binlog mode against a MariaDB of its own (binary log on, row format), through
 * real processes and sockets: a commit reaches a subscriber; no query runs between changes
 * (Com_select, counted by the server); a killed replication thread reconnects, resumes at its
 * position and loses nothing; a purged position leads to one re-read of every section; a burst
 * of 1,000 rows costs a handful of queries per section.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempMariadb } from '../testkit/tempMariadb.js';
import {
  EVENTS_WITH_NOTES,
  privateMariadbUnavailable,
  startSalesMariadb,
} from './helpers/privateMariadb.js';
import { connect, recorder, request, waitFor } from './helpers/client.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { tableSection, writeServeConfig } from './helpers/serveConfig.js';

let db: TempMariadb;
let server: OpsdeckProcess;
/** Undone newest first after the file's tests. */
const cleanups: (() => unknown)[] = [];
const SECTIONS = ['total', 'recent', 'others', 'untold'];

/** The reader's replication thread on the server (one: the leader's). */
async function dumpThread(): Promise<number | undefined> {
  const rows = await db.sql(
    "SELECT id FROM information_schema.PROCESSLIST WHERE command = 'Binlog Dump' AND user = 'opsdeck'",
  );
  return rows.length === 1 ? Number(rows[0]?.['id']) : undefined;
}

async function queries(section: string): Promise<number> {
  return metricValue(await scrape(server.url), 'opsdeck_section_queries_total', { section });
}

const unavailable = privateMariadbUnavailable(import.meta.url);

beforeAll(async () => {
  if (unavailable) return;
  db = await startSalesMariadb(cleanups, {
    tables: [EVENTS_WITH_NOTES, 'CREATE TABLE sales.other (id INT AUTO_INCREMENT PRIMARY KEY)'],
    binlogReader: true,
  });
  const written = writeServeConfig({
    database: { url: db.url('sales', 'opsdeck') },
    // The safety re-check far beyond the test: every query it sees comes from a change.
    watch: { mode: 'binlog', intervalMs: 3_600_000 },
    sections: [
      tableSection('total', 'SELECT COUNT(*) AS n, MAX(id) AS last FROM events', ['events']),
      tableSection('recent', 'SELECT id, note FROM events ORDER BY id DESC LIMIT 5', ['events']),
      tableSection('others', 'SELECT COUNT(*) AS n FROM other', ['other']),
      // No tables: re-runs on a row change of any table in the schema.
      tableSection('untold', 'SELECT COUNT(*) AS n FROM other'),
    ],
  });
  cleanups.push(written.remove);
  server = await startOpsdeck(['serve', '--config', written.file, '--port', '0'], {}, 60_000);
  cleanups.push(() => server.stop());
}, 120_000);

afterAll(async () => {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
}, 60_000);

async function subscribed() {
  const socket = await connect(server.url);
  const seen = recorder(socket);
  await request(socket, 'subscribe', { sections: SECTIONS });
  await waitFor('first snapshots', () => SECTIONS.every((id) => seen.latest(id)), 20_000);
  return { socket, seen, count: () => Number(seen.latest('total')?.rows[0]?.['n']) };
}

describe.skipIf(unavailable !== undefined)('binlog mode', () => {
  it('delivers a commit to a subscriber, and runs no query between changes', async () => {
    const { socket, seen, count } = await subscribed();
    try {
      await waitFor('the verification', () =>
        /binlog feed verified: .*binlog_format ROW/.test(server.stdout()),
      );
      const committed = Date.now();
      await db.sql("INSERT INTO sales.events (note) VALUES ('first')");
      // Both sections read events: each is its own read and update, in either order.
      await waitFor(
        'the insert at the client',
        () => count() === 1 && seen.latest('recent')?.rows[0]?.['note'] === 'first',
        5000,
      );
      expect(Date.now() - committed).toBeLessThan(5000);
      expect(seen.latest('recent')?.rows[0]).toMatchObject({ note: 'first' });

      // Quiet: 200 more subscribers and a second; the server counts every SELECT it runs.
      const before = await db.status('Com_select');
      const many = await Promise.all(Array.from({ length: 20 }, () => connect(server.url)));
      await Promise.all(many.map((s) => request(s, 'subscribe', { sections: SECTIONS })));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await db.status('Com_select')).toBe(before);
      for (const s of many) s.close();

      // A change to another table re-runs only the section that reads it.
      const recentBefore = await queries('recent');
      await db.sql('INSERT INTO sales.other () VALUES ()');
      await waitFor('others', () => Number(seen.latest('others')?.rows[0]?.['n']) === 1, 5000);
      expect(await queries('recent')).toBe(recentBefore);
    } finally {
      socket.close();
    }
  });

  it('re-runs a section without tables: on any row change, and every section on a TRUNCATE', async () => {
    const { socket, seen } = await subscribed();
    try {
      const n = (id: string) => Number(seen.latest(id)?.rows[0]?.['n']);
      await db.sql('INSERT INTO sales.other () VALUES (), ()');
      await waitFor(
        'both sections reading other',
        () => n('others') >= 2 && n('untold') >= 2,
        5000,
      );
      const untold = await queries('untold');
      await db.sql("INSERT INTO sales.events (note) VALUES ('for untold')");
      await waitFor(
        'untold re-read on a change to events',
        async () => (await queries('untold')) > untold,
        5000,
      );
      // TRUNCATE writes a statement, no row events.
      await db.sql('TRUNCATE TABLE sales.other');
      await waitFor('the truncate', () => n('others') === 0 && n('untold') === 0, 5000);
    } finally {
      socket.close();
    }
  });

  it('costs a handful of queries per section for a burst of 1,000 rows', async () => {
    const { socket, count } = await subscribed();
    try {
      const start = count();
      const [total0, recent0] = [await queries('total'), await queries('recent')];
      // 1,000 commits of one row each, as fast as one connection sends them.
      const values = Array.from(
        { length: 1000 },
        (_, i) => `INSERT INTO sales.events (note) VALUES ('b${i}')`,
      );
      await db.sql(values.join(';'));
      await waitFor('the whole burst', () => count() === start + 1000, 20_000);
      const total = (await queries('total')) - total0;
      const recent = (await queries('recent')) - recent0;
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(10);
      expect(recent).toBeLessThanOrEqual(10);
    } finally {
      socket.close();
    }
  });

  it('resumes at its position after its replication thread is killed, losing nothing', async () => {
    const { socket, seen, count } = await subscribed();
    try {
      const start = count();
      const others = await queries('others');
      const thread = await waitFor('the replication thread', dumpThread, 10_000);
      // Killed, then rows committed at once: while the reader is away or reconnecting.
      await db.sql(`KILL ${thread}`);
      await db.sql(
        "INSERT INTO sales.events (note) VALUES ('k1'), ('k2'); INSERT INTO sales.events (note) VALUES ('k3')",
      );
      await waitFor('every row committed meanwhile', () => count() === start + 3, 15_000);
      await waitFor(
        'a new replication thread',
        async () => {
          const id = await dumpThread();
          return id !== undefined && id !== thread;
        },
        15_000,
      );
      const warned = seen.statuses.filter((s) => s.section === 'total' && s.warning);
      expect(warned[0]?.warning).toMatch(/binlog connection is lost/);
      await waitFor(
        'the warning cleared',
        () => !seen.statuses.filter((s) => s.section === 'total').at(-1)?.warning,
        15_000,
      );
      // Resumed, not restarted: the section whose table did not change was not re-read.
      expect(await queries('others')).toBe(others);
    } finally {
      socket.close();
    }
  });

  it('re-reads every section once when its position was purged from the binary log', async () => {
    const { socket, seen, count } = await subscribed();
    try {
      const start = count();
      const others = await queries('others');
      const thread = await waitFor('the replication thread', dumpThread, 10_000);
      // Locked out, the reader cannot come back while its log file is purged.
      await db.sql(`ALTER USER 'opsdeck'@'%' ACCOUNT LOCK; KILL ${thread}`);
      await waitFor(
        'the warning',
        () =>
          seen.statuses.some(
            (s) => s.section === 'others' && /binlog connection is lost/.test(s.warning ?? ''),
          ),
        15_000,
      );
      await db.sql("INSERT INTO sales.events (note) VALUES ('purged')");
      await db.sql('FLUSH BINARY LOGS');
      const [current] = await db.sql('SHOW MASTER STATUS');
      const file = String(current?.['File']);
      // The server keeps a file until its commits are checkpointed: purge until it is gone.
      await waitFor(
        'the old log files purged',
        async () => {
          await db.sql(`PURGE BINARY LOGS TO '${file}'`);
          return (await db.sql('SHOW BINARY LOGS')).length === 1;
        },
        15_000,
        200,
      );
      await db.sql("ALTER USER 'opsdeck'@'%' ACCOUNT UNLOCK");
      await waitFor('the row from the purged log', () => count() === start + 1, 30_000);
      await waitFor(
        'every section re-read',
        async () => (await queries('others')) > others,
        15_000,
      );
      expect(server.stdout(), server.stderr()).toMatch(/last position was purged/);
    } finally {
      socket.close();
    }
  });
});
