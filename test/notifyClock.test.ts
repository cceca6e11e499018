/**
 * Sections that read no table in notify mode (`SELECT now()`, `SELECT 1`): `check` says so in
 * words, and `serve` re-reads the clock one at each safety re-check without calling its new
 * versions missed changes, and never re-reads the constant one.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { metricValue, scrape } from './helpers/metrics.js';
import { runOpsdeck, startOpsdeck } from './helpers/opsdeckProcess.js';
import { tableSection as section, writeServeConfig } from './helpers/serveConfig.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';

let db: TestDatabase;
const cleanups: (() => unknown)[] = [];

await describeWithService('postgres', 'notify mode: sections that read no table', () => {
  beforeAll(async () => {
    db = await createPostgresDatabase();
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await db.drop();
  });

  it('check says they read no table; serve re-reads only the clock one, and misses nothing', async () => {
    const written = writeServeConfig({
      database: { url: db.url },
      watch: { mode: 'notify', channel: 'opsdeck_clock_test', intervalMs: 500 },
      sections: [section('now', 'SELECT now() AS server_time'), section('one', 'SELECT 1 AS x')],
    });
    cleanups.push(written.remove);
    const checked = await runOpsdeck(['check', '--config', written.file]);
    expect(checked.code, checked.stdout).toBe(0);
    for (const id of ['now', 'one']) {
      expect(checked.stdout).toMatch(new RegExp(`ok +${id} +reads no table: no change re-runs it`));
    }

    const server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
    cleanups.push(() => server.stop());
    const queries = (text: string, id: string) =>
      metricValue(text, 'opsdeck_section_queries_total', { section: id });
    let metrics = '';
    await vi.waitFor(
      async () => {
        metrics = await scrape(server.url);
        expect(queries(metrics, 'now')).toBeGreaterThanOrEqual(4); // the first read, 3 re-checks
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(queries(metrics, 'one')).toBe(1);
    for (const id of ['now', 'one']) {
      expect(metricValue(metrics, 'opsdeck_missed_changes_total', { section: id })).toBe(0);
    }
    expect(server.stdout()).not.toContain('missed');
    expect(server.stdout()).not.toContain('warning');
  });
});
