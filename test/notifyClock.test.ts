/**
 * Sections that read no table in notify mode (`SELECT now()`, `pg_stat_activity`, whose plan
 * scans functions): `check` says so in words, and `serve` re-reads them at each safety re-check
 * (no trigger can announce their changes) without calling their new versions missed changes.
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

  it('check says they read no table; serve re-reads them at each re-check, and misses nothing', async () => {
    const written = writeServeConfig({
      database: { url: db.url },
      watch: { mode: 'notify', channel: 'opsdeck_clock_test', intervalMs: 500 },
      sections: [
        section('now', 'SELECT now() AS server_time'),
        section('backends', 'SELECT count(*)::int AS n FROM pg_stat_activity'),
      ],
    });
    cleanups.push(written.remove);
    const checked = await runOpsdeck(['check', '--config', written.file]);
    expect(checked.code, checked.stdout).toBe(0);
    for (const id of ['now', 'backends']) {
      expect(checked.stdout).toMatch(new RegExp(`ok +${id} +reads no table \\(only functions`));
    }

    const server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
    cleanups.push(() => server.stop());
    const queries = (text: string, id: string) =>
      metricValue(text, 'opsdeck_section_queries_total', { section: id });
    let metrics = '';
    await vi.waitFor(
      async () => {
        metrics = await scrape(server.url);
        // The first read and 3 re-checks, each.
        for (const id of ['now', 'backends'])
          expect(queries(metrics, id)).toBeGreaterThanOrEqual(4);
      },
      { timeout: 20_000, interval: 200 },
    );
    for (const id of ['now', 'backends']) {
      expect(metricValue(metrics, 'opsdeck_missed_changes_total', { section: id })).toBe(0);
    }
    expect(server.stdout()).not.toContain('missed');
    expect(server.stdout()).not.toContain('warning');
  });
});
