import type { ChangeLags } from './changeLags.js';
import { FeedLatency } from './feedLatency.js';
import { Fleet } from './fleet.js';
import { startOpsdeck } from './proc.js';
import type { Context } from './scenario.js';
import { fmtMs, yesNo, type ResultRow } from './table.js';

/** What one change-feed scenario brings: its database, its commits, what the database counts. */
export interface FeedUnderTest {
  /** The scenario column of the rows (`12b binlog`). */
  scenario: string;
  /** The clients' group; the server is `opsdeck-<group>`. */
  group: string;
  sections: string[];
  /** Starts and seeds the database (stopped with the scope); the feed's `serve` configuration. */
  start(ctx: Context): Promise<FeedDatabase>;
}

export interface FeedDatabase {
  /** The configuration file of `opsdeck serve` in the feed's mode. */
  config: string;
  /** One commit carrying `marker` in the `recent` row. */
  commit(marker: number): Promise<unknown>;
  /** 1,000 one-row commits as fast as the database takes them, the last carrying `marker`. */
  commitBurst(marker: number): Promise<unknown>;
  /**
   * What the database counts (reads of user tables) while nothing changes for `quietMs`, with the
   * clients subscribed; logged by the feed. `what` names it in the row.
   */
  quiet(quietMs: number, serverUrl: string): Promise<{ what: string; count: number }>;
  /** After the burst, the clients still connected (logical mode: the slot's lag). */
  afterBurst?(serverUrl: string): Promise<void>;
  /**
   * The lag baseline of the same run, after the feed's server stopped: `measure` connects the
   * clients to another server as `group` and runs the same lag measurement.
   */
  baseline?(
    measure: (url: string, group: string) => Promise<ChangeLags>,
  ): Promise<{ name: string; lags: ChangeLags }>;
}

/**
 * Issue 12, a change feed at 200 clients: commit -> `update` (a change every 150-200 ms), what the
 * database counts while nothing changes, and the section queries a burst of 1,000 one-row commits
 * costs; rows with their targets (p99 < 50 ms, nothing counted, at most 10 queries a section).
 */
export async function runFeedLatency(ctx: Context, feed: FeedUnderTest): Promise<ResultRow[]> {
  const { scope, log, quick } = ctx;
  const clients = 200;
  const changes = quick ? 30 : 120;
  const quietMs = quick ? 3000 : 10_000;
  const db = await feed.start(ctx);
  const server = await startOpsdeck(
    `opsdeck-${feed.group}`,
    ['serve', '--config', db.config, '--port', '0'],
    { scope },
  );
  const fleet = Fleet.start(scope, 2);
  const latency = new FeedLatency(fleet, clients, feed.sections, log);
  await latency.connect(server.url, feed.group);

  const lags = await latency.lag(feed.group, changes, (m) => db.commit(m));
  const quiet = await db.quiet(quietMs, server.url);
  const worst = await latency.burst(server.url, feed.group, (m) => db.commitBurst(m));
  await db.afterBurst?.(server.url);
  await fleet.closeAll();

  let base: { name: string; lags: ChangeLags } | undefined;
  if (db.baseline) {
    await server.stop();
    base = await db.baseline(async (url, group) => {
      await latency.connect(url, group);
      const baseLags = await latency.lag(group, changes, (m) => db.commit(m));
      await fleet.closeAll();
      return baseLags;
    });
  }

  const missingNote = lags.missing > 0 ? `, ${lags.missing} not received` : '';
  const baseMissing = base && base.lags.missing > 0 ? ` (${base.lags.missing} not received)` : '';
  return [
    {
      scenario: feed.scenario,
      figureName: `commit -> client, ${clients} clients: p50 / p99${missingNote}`,
      figure: `${fmtMs(lags.p50)} / ${fmtMs(lags.p99)}`,
      baseline: base
        ? `${base.name}: ${fmtMs(base.lags.p50)} / ${fmtMs(base.lags.p99)}${baseMissing}`
        : '—',
      ratio: base ? `${(lags.p99 / base.lags.p99).toFixed(2)}x` : '—',
      target: 'p99 < 50 ms',
      met: yesNo(lags.p99 < 50 && lags.missing === 0),
    },
    {
      scenario: feed.scenario,
      figureName: `${quiet.what} in ${quietMs / 1000} s without changes`,
      figure: String(quiet.count),
      baseline: '—',
      ratio: '—',
      target: '0',
      met: yesNo(quiet.count === 0),
    },
    {
      scenario: feed.scenario,
      figureName: '1,000 one-row commits: queries per section (worst)',
      figure: String(worst),
      baseline: '—',
      ratio: '—',
      target: '<= 10',
      met: yesNo(worst <= 10),
    },
  ];
}
