/**
 * Alerts through real `opsdeck` processes and stock socket.io-client connections: the demo floor's
 * rules fire and resolve, `serve` on PostgreSQL fires and resolves a rule on a table the test
 * changes (with the metric), and `check` validates each rule against its section's columns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertEvent } from '../common/alerts.js';
import type { CatalogAck, SubscribeAck } from '../common/protocol.js';
import { connect, request, waitFor, type TestSocket } from './helpers/client.js';
import {
  createItemsDatabase,
  lines,
  ProcessPool,
  sqliteConfig,
  tempDir,
  type TempDir,
} from './helpers/cliFixtures.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { runOpsdeck } from './helpers/opsdeckProcess.js';
import { tableSection, writeServeConfig } from './helpers/serveConfig.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';

const servers = new ProcessPool();
const sockets: TestSocket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await servers.stopAll();
});

/** A client subscribed to `sections` that records every alert event. */
async function alertsOf(url: string, sections: string[]): Promise<AlertEvent[]> {
  const socket = await connect(url);
  sockets.push(socket);
  const events: AlertEvent[] = [];
  socket.on('alert', (event) => events.push(event));
  const ack = await request<SubscribeAck>(socket, 'subscribe', { sections });
  expect(ack.ok).toBe(true);
  return events;
}

describe('opsdeck demo', () => {
  it('lists its two dashboards and three rules; the floor fires and resolves big-order', async () => {
    // 600 orders a minute: an order above 750 (about 1 in 100) comes every few seconds, and
    // leaves the 10 latest a second later.
    const demo = await servers.start(['demo', '--port', '0', '--rate', '600', '--seed', '7']);
    const client = await connect(demo.url);
    sockets.push(client);
    const catalog = await request<CatalogAck>(client, 'catalog');
    if (!catalog.ok) throw new Error('catalog failed');
    expect(catalog.dashboards?.map((d) => d.id)).toEqual(['floor', 'trends']);
    expect(catalog.alerts?.map((r) => `${r.id}: ${r.when}`)).toEqual([
      'open-orders-high: open_orders > 55',
      'big-order: total > 750',
      'approval-needed: total > 1500',
    ]);

    const events = await alertsOf(demo.url, ['recent']);
    const fired = await waitFor(
      'big-order firing',
      () => events.find((e) => e.id === 'big-order' && e.state === 'firing'),
      90_000,
      100,
    );
    expect(fired).toMatchObject({ section: 'recent', severity: 'info' });
    expect(fired.value).toBeGreaterThan(750);
    expect(fired.message).toMatch(/^Big order: .+, \d+(\.\d+)? \(.+\)$/);
    await waitFor(
      'big-order resolved',
      () => events.find((e) => e.id === 'big-order' && e.state === 'resolved'),
      30_000,
      100,
    );
    const text = await scrape(demo.url);
    expect(metricValue(text, 'opsdeck_alerts_fired_total', { severity: 'info' })).toBeGreaterThan(
      0,
    );
  }, 150_000);
});

await describeWithService('postgres', 'opsdeck serve on PostgreSQL', () => {
  let db: TestDatabase;
  let config: ReturnType<typeof writeServeConfig>;

  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.admin('CREATE TABLE queue (id serial PRIMARY KEY, waiting integer NOT NULL)');
    await db.admin('INSERT INTO queue (waiting) VALUES (1), (2)');
    config = writeServeConfig({
      database: { url: db.url },
      watch: { mode: 'poll', intervalMs: 200 },
      sections: [tableSection('queue', 'SELECT id, waiting FROM queue ORDER BY id')],
      alerts: [
        {
          id: 'queue-long',
          section: 'queue',
          when: 'waiting >= 10',
          severity: 'critical',
          message: 'row {id}: {waiting} waiting',
        },
      ],
    });
  });
  afterAll(async () => {
    await servers.stopAll();
    config.remove();
    await db.drop();
  });

  it('fires when a row matches and resolves when none does; /metrics counts it', async () => {
    const server = await servers.start(['serve', '--config', config.file, '--port', '0']);
    const events = await alertsOf(server.url, ['queue']);
    await db.admin('UPDATE queue SET waiting = 12 WHERE id = 2');
    const fired = await waitFor('queue-long firing', () => events[0], 10_000);
    expect(fired).toMatchObject({
      id: 'queue-long',
      section: 'queue',
      severity: 'critical',
      state: 'firing',
      value: 12,
      message: 'row 2: 12 waiting',
    });
    const firing = await scrape(server.url);
    expect(metricValue(firing, 'opsdeck_alerts_firing', { severity: 'critical' })).toBe(1);

    // A client that subscribes now is told at once.
    const late = await alertsOf(server.url, ['queue']);
    await waitFor('the firing alert on subscribe', () => late[0], 5000);
    expect(late[0]).toEqual(fired);

    await db.admin('UPDATE queue SET waiting = 3');
    await waitFor('queue-long resolved', () => events[1], 10_000);
    expect(events.map((e) => e.state)).toEqual(['firing', 'resolved']);
    const resolved = await scrape(server.url);
    expect(metricValue(resolved, 'opsdeck_alerts_firing', { severity: 'critical' })).toBe(0);
    expect(metricValue(resolved, 'opsdeck_alerts_fired_total', { severity: 'critical' })).toBe(1);
  });
});

describe('opsdeck check', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = tempDir('opsdeck-alerts-');
    createItemsDatabase(dir.file('items.db'));
  });
  afterAll(() => dir.remove());

  it('validates each rule against its section’s columns', async () => {
    const file = dir.write(
      'alerts.yml',
      `${sqliteConfig('sqlite:items.db')}alerts:
  - { id: low-stock, section: items, when: qty < 5, message: "{name}: {qty} left" }
  - { id: typo, section: items, when: qtty < 5 }
  - { id: by-name, section: items, when: name > 1 }
  - { id: bad-message, section: items, when: qty > 100, message: "{nme} is {qty}" }
  - { id: quiet, section: items, when: no change for 1h, message: "{section} is quiet" }
`,
    );
    const result = await runOpsdeck(['check', '--config', file]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(lines(result.stdout).filter((l) => l.startsWith('alert '))).toEqual([
      'alert   low-stock    ok      qty < 5 on items',
      'alert   typo         FAILED  items has no column "qtty" (its columns: id, name, qty)',
      'alert   by-name      ok      name > 1 on items; warning: name is string, only numeric values can match',
      'alert   bad-message  FAILED  message: {nme} is not a column of items (its columns: id, name, qty)',
      'alert   quiet        ok      no change for 1h on items',
    ]);
    expect(result.stdout).toContain('2 failed');
  });

  it('exits 2 with the key path of a rule that does not parse', async () => {
    const file = dir.write(
      'bad-when.yml',
      `${sqliteConfig('sqlite:items.db')}alerts:\n  - { id: a, section: items, when: "qty >> 5" }\n`,
    );
    const result = await runOpsdeck(['check', '--config', file]);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      'config: alerts[0].when: "qty >> 5" is not <column> <op> <number>, "no change for <duration>" or "failing"',
    ]);
  });
});
