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
/** Changes further apart than a second: every backend publishes its statistics at once. */
const CHANGE_SPACING_MS = 1200;
const SEED_ORDERS = 5000;
/**
 * A pool backend publishes its statistics within 10 s of going idle; the LISTEN backend's
 * notification transactions wait for its next 15 s heartbeat. Readings follow 16 s without a
 * burst (the last one follows the servers' exit).
 */
const QUIET_MS = 16_000;

type Kind = 'notify' | 'poll' | 'baseline';

interface System {
  kind: Kind;
  dashboards: number;
  name: string;
  db: BenchDatabase;
  server: ServerProcess;
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
 * Scenario 1: what the database really executes (pg_stat_database), Opsdeck in notify and in poll
 * mode against the polling system it replaces, with 1 and 150 dashboards. The six systems run at
 * the same time, each on its own database, so one run measures them all.
 */
export const s1DbLoad: Scenario = {
  id: '1',
  title: 'database load against polling',
  timeoutMs: (quick) => (quick ? 150_000 : 240_000),
  backgroundWhenQuick: true,
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const changes = quick ? 5 : 10;
    // The idle window is a whole number of periods of every timer (the 15 s LISTEN heartbeat,
    // the 3 s and 5 s polls) and holds exactly one 60 s safety re-check of notify mode (its
    // default): the servers start 38-44 s before the window opens. Quick mode: a 30 s window
    // that still holds one re-check, so notify's idle cost per hour is overstated there.
    const windowMs = quick ? 30_000 : 60_000;
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
        const server =
          kind === 'baseline'
            ? await startBaseline(name, 'pollingServer', ['--db', db.url, '--port', '0'], { scope })
            : await startOpsdeck(
                name,
                ['serve', '--config', writeConfig(scope, serveConfig(db.url, kind)), '--port', '0'],
                { scope },
              );
        systems.push({ kind, dashboards, name, db, server });
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
    log(`counting: ${changes} changes, then ${windowMs / 1000} s without changes`);
    // Every reading follows 10.5 s without a burst; the last one follows the servers' exit.
    await sleep(QUIET_MS);

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
    await sleep(QUIET_MS);
    const b = await stats.counters(names);
    const ownB = await ownQueries();
    const tB = Date.now();
    await sleep(windowMs);
    const ownC = await ownQueries();
    await fleet.stopPollers();
    const tC = Date.now();
    await Promise.all(systems.map((s) => s.server.stop()));
    await sleep(500);
    const c = await stats.counters(names);

    const perHourFactor = 3_600_000 / (tC - tB);
    const figures = new Map<string, Figures>();
    for (const s of systems) {
      const q = (m: Map<string, { queries: number }>) => m.get(s.db.name)?.queries ?? 0;
      const sessions = (m: Map<string, { sessions: number }>) => m.get(s.db.name)?.sessions ?? 0;
      const idle = q(c) - q(b);
      const changeWindow = q(b) - q(a) - changes; // minus the benchmark's own inserts
      const i = opsdeck.indexOf(s);
      const ownIdle = i >= 0 ? (ownC[i] ?? 0) - (ownB[i] ?? 0) : NaN;
      const ownChanges = i >= 0 ? (ownB[i] ?? 0) - (ownA[i] ?? 0) : NaN;
      // The change window holds no re-check: what runs there besides the changes is what runs
      // in the idle window besides section queries (the LISTEN heartbeat), at the same rate.
      const background = ((idle - ownIdle) * (tB - tA)) / (tC - tB);
      // Poll mode and the polling baseline run the same queries whether data changes or not.
      const perChange =
        s.kind === 'notify' ? Math.max(0, (changeWindow - background) / changes) : 0;
      const ownPerChange = s.kind === 'notify' ? ownChanges / changes : 0;
      figures.set(s.name, {
        perChange,
        perHour: idle * perHourFactor + CHANGES_PER_HOUR * perChange,
        ownPerHour: ownIdle * perHourFactor + CHANGES_PER_HOUR * ownPerChange,
        sessions: [sessions(b) - sessions(a), sessions(c) - sessions(b)],
      });
      log(
        `${s.name}: change window ${changeWindow} tx` +
          (i >= 0 ? ` (section queries ${ownChanges})` : '') +
          `, idle window ${idle} tx in ${((tC - tB) / 1000).toFixed(1)} s` +
          (i >= 0 ? ` (section queries ${ownIdle})` : '') +
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
      `notify-1 change-to-client lag: first change after ${QUIET_MS / 1000} s quiet ${fmtMs(lag(1))}, ` +
        `next ${changes - 1} changes median ${fmtMs(warm)}; pool connections opened: ` +
        `${n1.sessions[0]} in the change window, ${n1.sessions[1]} in the idle window`,
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
        target: '≥1,000x fewer',
        met: yesNo(fewer >= 1000),
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
