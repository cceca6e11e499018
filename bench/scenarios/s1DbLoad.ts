import { now, sleep } from '../lib/clock.js';
import { Fleet } from '../lib/fleet.js';
import { createBenchDatabase, PgStats, type BenchDatabase } from '../lib/pg.js';
import { startBaseline, startOpsdeck, type ServerProcess } from '../lib/proc.js';
import {
  insertMarker,
  SALES_SECTION_IDS,
  SALES_SECTIONS,
  seedSalesDatabase,
} from '../lib/salesDb.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { metricSum, metricsText, writeConfig } from '../lib/serve.js';
import { median } from '../lib/stats.js';
import { fmtCount, fmtMs, fmtRatio, yesNo, type ResultRow } from '../lib/table.js';

const CHANGES_PER_HOUR = 30;
const POLL_MS = 3000;
const BASELINE_POLL_MS = 5000;
/** Notify mode's default safety re-check period (the servers run with it). */
const NOTIFY_RECHECK_MS = 60_000;
/** Changes further apart than a second: every backend publishes its statistics at once. */
const CHANGE_SPACING_MS = 1200;
const SEED_ORDERS = 5000;
/**
 * A backend publishes its statistics when it goes idle, or up to 10 s later when it published
 * less than a second before. Readings follow 12 s without a burst.
 */
const QUIET_MS = 12_000;

type Kind = 'notify' | 'poll' | 'baseline';

interface System {
  kind: Kind;
  dashboards: number;
  name: string;
  db: BenchDatabase;
  server: ServerProcess;
  startedAt: number;
}

interface Figures {
  /** DB transactions per change (minus the benchmark's own insert). */
  perChange: number;
  /** DB transactions per hour at 30 changes an hour. */
  perHour: number;
  /** Section queries per hour at 30 changes an hour, by Opsdeck's own counter. */
  ownPerHour: number;
  /** New database connections in the two windows. */
  sessions: [number, number];
}

/**
 * Scenario 1: what the database really executes (pg_stat_database: every transaction, the
 * start-up transaction of each new connection included), Opsdeck in notify and in poll mode
 * against the polling system it replaces, with 1 and 150 dashboards. The six systems run at the
 * same time, each on its own database, so one run measures them all.
 *
 * Two windows: first an idle one (no changes; it follows notify mode's first re-check, which
 * re-reads everything once), then the changes and one whole re-check period after them (what a
 * change causes at the next re-check belongs to the change), closed by stopping the servers: a
 * backend publishes its statistics at exit at the latest (the LISTEN connection's, which receives
 * each notification in a transaction of its own, runs no query in between).
 */
export const s1DbLoad: Scenario = {
  id: '1',
  title: 'database load against polling',
  timeoutMs: (quick) => (quick ? 200_000 : 330_000),
  backgroundWhenQuick: true,
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const changes = quick ? 5 : 10;
    // One re-check period: the idle window holds exactly one notify re-check.
    const windowMs = NOTIFY_RECHECK_MS;
    const stats = await PgStats.open(scope);
    const fleet = Fleet.start(scope, 2);

    const systems: System[] = [];
    log(`6 databases (${SEED_ORDERS} orders each), 3 Opsdeck pairs + 2 polling servers`);
    for (const kind of ['notify', 'poll', 'baseline'] as const) {
      for (const dashboards of [1, 150]) {
        const name = `${kind}-${dashboards}`;
        const db = await createBenchDatabase(scope, `${kind}${dashboards}`, (c) =>
          seedSalesDatabase(c, SEED_ORDERS),
        );
        const startedAt = Date.now();
        const server =
          kind === 'baseline'
            ? await startBaseline(name, 'pollingServer', ['--db', db.url, '--port', '0'], { scope })
            : await startOpsdeck(
                name,
                ['serve', '--config', writeConfig(scope, serveConfig(db.url, kind)), '--port', '0'],
                { scope },
              );
        systems.push({ kind, dashboards, name, db, server, startedAt });
      }
    }
    scope.defer('stop pollers', () => fleet.stopPollers());
    for (const s of systems) {
      if (s.kind === 'baseline') {
        await fleet.startPollers({
          url: s.server.url,
          count: s.dashboards,
          periodMs: BASELINE_POLL_MS,
          group: s.name,
        });
      } else {
        const result = await fleet.connect({
          kind: 'opsdeck',
          url: s.server.url,
          count: s.dashboards,
          sections: SALES_SECTION_IDS,
          group: s.name,
        });
        if (result.failed > 0) throw new Error(`dashboards failed: ${result.firstError ?? ''}`);
      }
    }
    // The idle window opens after every notify server's first re-check, and quiet after it.
    const lastNotifyStart = Math.max(
      ...systems.filter((s) => s.kind === 'notify').map((s) => s.startedAt),
    );
    const opensAt = Math.max(Date.now(), lastNotifyStart + NOTIFY_RECHECK_MS + 3000) + QUIET_MS;
    // The change window is a whole number of re-check periods too, so that the idle window's
    // rate subtracts exactly the re-checks it holds; it ends more than one period after the
    // last change.
    const changeWindowMs = (quick ? 1 : 2) * NOTIFY_RECHECK_MS;
    log(
      `counting: ${windowMs / 1000} s idle (in ${((opensAt - Date.now()) / 1000).toFixed(0)} s), ` +
        `then ${changes} changes in a ${changeWindowMs / 1000} s window`,
    );
    await sleep(opensAt - Date.now());

    const names = systems.map((s) => s.db.name);
    const opsdeck = systems.filter((s) => s.kind !== 'baseline');
    const ownQueries = () =>
      Promise.all(
        opsdeck.map(async (s) =>
          metricSum(await metricsText(s.server.url), 'opsdeck_section_queries_total'),
        ),
      );

    const a = await stats.counters(names);
    const ownA = await ownQueries();
    const tA = Date.now();
    await sleep(windowMs);
    const b = await stats.counters(names);
    const ownB = await ownQueries();
    const tB = Date.now();
    const committedAt = new Map<string, number[]>();
    for (let k = 1; k <= changes; k++) {
      for (const s of systems) {
        const list = committedAt.get(s.name) ?? [];
        list[k] = now();
        committedAt.set(s.name, list);
        await insertMarker(s.db.client, k);
      }
      await sleep(CHANGE_SPACING_MS);
    }
    // The re-check that follows the changes is counted with them.
    await sleep(tB + changeWindowMs - Date.now());
    const ownC = await ownQueries();
    await fleet.stopPollers();
    const tC = Date.now();
    await Promise.all(systems.map((s) => s.server.stop()));
    await sleep(500);
    const c = await stats.counters(names);

    const perHourFactor = 3_600_000 / (tB - tA);
    const figures = new Map<string, Figures>();
    for (const s of systems) {
      const x = (m: Map<string, { total: number }>) => m.get(s.db.name)?.total ?? 0;
      const sessions = (m: Map<string, { sessions: number }>) => m.get(s.db.name)?.sessions ?? 0;
      const idle = x(b) - x(a);
      const changeWindow = x(c) - x(b) - changes; // minus the benchmark's own inserts
      const i = opsdeck.indexOf(s);
      const ownIdle = i >= 0 ? (ownB[i] ?? 0) - (ownA[i] ?? 0) : NaN;
      const ownChanges = i >= 0 ? (ownC[i] ?? 0) - (ownB[i] ?? 0) : NaN;
      // What runs in the change window besides the changes, at the idle window's rate.
      const background = (idle * (tC - tB)) / (tB - tA);
      const ownBackground = (ownIdle * (tC - tB)) / (tB - tA);
      // Poll mode and the polling baseline run the same queries whether data changes or not.
      const perChange =
        s.kind === 'notify' ? Math.max(0, (changeWindow - background) / changes) : 0;
      const ownPerChange = s.kind === 'notify' ? (ownChanges - ownBackground) / changes : 0;
      figures.set(s.name, {
        perChange,
        perHour: idle * perHourFactor + CHANGES_PER_HOUR * perChange,
        ownPerHour: ownIdle * perHourFactor + CHANGES_PER_HOUR * ownPerChange,
        sessions: [sessions(b) - sessions(a), sessions(c) - sessions(b)],
      });
      log(
        `${s.name}: idle window ${idle} tx in ${((tB - tA) / 1000).toFixed(1)} s` +
          (i >= 0 ? ` (section queries ${ownIdle})` : '') +
          `, change window ${changeWindow} tx in ${((tC - tB) / 1000).toFixed(1)} s` +
          (i >= 0 ? ` (section queries ${ownChanges})` : '') +
          `, new connections ${sessions(b) - sessions(a)} and ${sessions(c) - sessions(b)}`,
      );
    }
    const pick = (name: string): Figures => {
      const f = figures.get(name);
      if (!f) throw new Error(`no figures for ${name}`);
      return f;
    };
    const n150 = pick('notify-150');
    const n1 = pick('notify-1');
    const p150 = pick('poll-150');
    const p1 = pick('poll-1');
    const b150 = pick('baseline-150');
    const b1 = pick('baseline-1');

    // The notify-1 dashboard's lag: the first change follows a quiet period, the rest do not.
    const markers = (await fleet.markers()).get('notify-1');
    const commits = committedAt.get('notify-1') ?? [];
    const lag = (k: number) => (markers?.get(k)?.[0] ?? NaN) - (commits[k] ?? NaN);
    const warm = median(Array.from({ length: changes - 1 }, (_, j) => lag(j + 2)));
    log(
      `notify-1 change-to-client lag: first change after ${windowMs / 1000} s quiet ${fmtMs(lag(1))}, ` +
        `next ${changes - 1} changes median ${fmtMs(warm)}; pool connections opened: ` +
        `${n1.sessions[0]} in the idle window, ${n1.sessions[1]} in the change window`,
    );
    const pollErrors = (await fleet.counts()).pollErrors;
    if (pollErrors > 0) log(`baseline poll errors: ${pollErrors}`);

    const fewer = b150.perHour / n150.perHour;
    const equal = n150.perHour / n1.perHour;
    return [
      {
        scenario: '1 DB load',
        figureName: `notify, 150 dashboards: DB transactions/h at ${CHANGES_PER_HOUR} changes/h`,
        figure: fmtCount(n150.perHour),
        baseline: `HTTP polling 5 s, 150 dashboards: ${fmtCount(b150.perHour)}`,
        ratio: fmtRatio(n150.perHour, b150.perHour),
        target: '≥2,000x fewer',
        met: yesNo(fewer >= 2000),
      },
      {
        scenario: '1 DB load',
        figureName: 'notify: of which section queries/h (Opsdeck counter)',
        figure: fmtCount(n150.ownPerHour),
        baseline: `polling: ${fmtCount(b150.perHour)}`,
        ratio: fmtRatio(n150.ownPerHour, b150.perHour),
        target: '—',
        met: '—',
      },
      {
        scenario: '1 DB load',
        figureName: 'notify: DB transactions per change (3 sections)',
        figure: fmtCount(n150.perChange),
        baseline: `polling: ${fmtCount(b150.perHour / CHANGES_PER_HOUR)} per change at 30/h`,
        ratio: fmtRatio(n150.perChange, b150.perHour / CHANGES_PER_HOUR),
        target: '—',
        met: '—',
      },
      {
        scenario: '1 DB load',
        figureName: `poll 3 s, 150 dashboards: DB transactions/h`,
        figure: fmtCount(p150.perHour),
        baseline: `HTTP polling 5 s: ${fmtCount(b150.perHour)}`,
        ratio: fmtRatio(p150.perHour, b150.perHour),
        target: '—',
        met: '—',
      },
      {
        scenario: '1 DB load',
        figureName: `150 vs 1 dashboard, notify (poll: ${(p150.perHour / p1.perHour).toFixed(2)}x)`,
        figure: `${equal.toFixed(2)}x`,
        baseline: `polling: ${(b150.perHour / b1.perHour).toFixed(0)}x`,
        ratio: fmtRatio(equal, b150.perHour / b1.perHour),
        target: '1.00x (same cost)',
        met: yesNo(Math.abs(equal - 1) <= 0.05),
      },
    ];
  },
};

function serveConfig(url: string, kind: 'notify' | 'poll'): object {
  return {
    database: { url, pool: 5 },
    watch: kind === 'notify' ? { mode: 'notify' } : { mode: 'poll', intervalMs: POLL_MS },
    sections: SALES_SECTIONS,
  };
}
