import { now, sleep } from '../lib/clock.js';
import { changeLags, type ChangeLags } from '../lib/changeLags.js';
import { Fleet } from '../lib/fleet.js';
import { createBenchDatabase, type BenchDatabase } from '../lib/pg.js';
import { processCpuMs, startBaseline, startOpsdeck, type ServerProcess } from '../lib/proc.js';
import {
  insertMarker,
  SALES_SECTION_IDS,
  SALES_SECTIONS,
  seedSalesDatabase,
} from '../lib/salesDb.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { metricSum, metricsText, writeConfig } from '../lib/serve.js';
import { fmtMs, fmtRatio, yesNo, type ResultRow } from '../lib/table.js';

const POLL_MS = 3000;
const BASELINE_POLL_MS = 5000;

/**
 * Scenario 2: commit to `update` received (the `recent` row carrying the change's marker), every
 * client subscribed to the three sections. Notify and poll (3 s) mode, 1 and 1,000 clients; the
 * polling system (5 s) with 1 and 1,000 dashboards is measured alongside the poll-mode runs.
 */
export const s2Lag: Scenario = {
  id: '2',
  title: 'change-to-screen lag',
  timeoutMs: (quick) => (quick ? 90_000 : 240_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const bigCrowd = quick ? 200 : 1000;
    const notifyChanges = quick ? 20 : 120;
    const pollWindowMs = quick ? 3000 : 24_000;
    const db = await createBenchDatabase(scope, 'lag', (c) => seedSalesDatabase(c, 5000));
    const notify = await startOpsdeck(
      'opsdeck-notify',
      ['serve', '--config', config(scope, db, 'notify'), '--port', '0'],
      { scope },
    );
    const pollPairs: { poll: ServerProcess; baseline: ServerProcess }[] = [];
    for (let i = 0; i < (quick ? 2 : 1); i++) {
      pollPairs.push({
        poll: await startOpsdeck(
          `opsdeck-poll-${i}`,
          ['serve', '--config', config(scope, db, 'poll'), '--port', '0'],
          { scope },
        ),
        baseline: await startBaseline(
          `polling-baseline-${i}`,
          'pollingServer',
          ['--db', db.url, '--port', '0'],
          { scope },
        ),
      });
    }
    const fleet = Fleet.start(scope, 2);
    scope.defer('stop pollers', () => fleet.stopPollers());
    let seq = 1000;
    const committed = new Map<number, number>();
    const commit = async () => {
      seq += 1;
      committed.set(seq, now());
      await insertMarker(db.client, seq);
      return seq;
    };
    const lagsOf = async (
      group: string,
      first: number,
      last: number,
      clients: number,
    ): Promise<ChangeLags> => {
      const byMarker = (await fleet.markers()).get(group) ?? new Map<number, number[]>();
      return changeLags(committed, byMarker, first, last, clients);
    };

    // Notify mode: a change every 150-200 ms (each its own read: reads are due >= 100 ms apart).
    const notifyRun = async (clients: number): Promise<ChangeLags> => {
      await fleet.reset();
      const group = `notify-${clients}`;
      const c = await fleet.connect({
        kind: 'opsdeck',
        url: notify.url,
        count: clients,
        sections: SALES_SECTION_IDS,
        group,
      });
      if (c.failed > 0) throw new Error(`clients failed: ${c.firstError ?? ''}`);
      await sleep(500);
      const first = seq + 1;
      const serverCpu0 = processCpuMs(notify.pid);
      const lagMetric = async () => {
        const text = await metricsText(notify.url);
        return {
          sum: metricSum(text, 'opsdeck_update_lag_seconds_sum'),
          count: metricSum(text, 'opsdeck_update_lag_seconds_count'),
        };
      };
      const lag0 = await lagMetric();
      const clientCpu0 = (await fleet.counts()).cpuMs;
      for (let i = 0; i < notifyChanges; i++) {
        await commit();
        await sleep(150 + Math.random() * 50);
      }
      await sleep(1500);
      const serverCpu = (processCpuMs(notify.pid) - serverCpu0) / notifyChanges;
      const clientCpu = ((await fleet.counts()).cpuMs - clientCpu0) / notifyChanges;
      const lag1 = await lagMetric();
      const serverLag = ((lag1.sum - lag0.sum) * 1000) / (lag1.count - lag0.count);
      const lags = await lagsOf(group, first, seq, clients);
      await fleet.closeAll();
      log(
        `notify, ${clients} clients: p50 ${fmtMs(lags.p50)}, p99 ${fmtMs(lags.p99)} ` +
          `(${lags.samples} samples, ${lags.missing} missing); server's own figure, change ` +
          `detected to emitted: mean ${fmtMs(serverLag)}; CPU per change: server ` +
          `${fmtMs(serverCpu)}, client processes ${fmtMs(clientCpu)}`,
      );
      return lags;
    };

    // Poll mode and the polling system side by side: a change every 700 ms for the window. Quick
    // mode runs the 1-client and the many-client systems at the same time (their own servers,
    // same database and changes): poll-mode lag is set by the period, not by the CPU.
    type PollResult = { opsdeck: ChangeLags; baseline: ChangeLags };
    const pollRun = async (crowds: number[]): Promise<PollResult[]> => {
      await fleet.reset();
      for (const [i, clients] of crowds.entries()) {
        const pair = pollPairs[i];
        if (!pair) throw new Error('no poll server pair');
        const c = await fleet.connect({
          kind: 'opsdeck',
          url: pair.poll.url,
          count: clients,
          sections: SALES_SECTION_IDS,
          group: `poll-${i}`,
        });
        if (c.failed > 0) throw new Error(`clients failed: ${c.firstError ?? ''}`);
        // Pollers start at random phases; a change counts when a dashboard first shows it.
        await fleet.startPollers({
          url: pair.baseline.url,
          count: clients,
          periodMs: BASELINE_POLL_MS,
          group: `baseline-${i}`,
        });
      }
      const first = seq + 1;
      const end = Date.now() + pollWindowMs;
      while (Date.now() < end) {
        await commit();
        await sleep(700); // < 10 changes per 5 s poll: each is still in `recent` (newest 10) when polled
      }
      await sleep(BASELINE_POLL_MS + (quick ? 500 : 1000));
      const results: PollResult[] = [];
      for (const [i, clients] of crowds.entries()) {
        results.push({
          opsdeck: await lagsOf(`poll-${i}`, first, seq, clients),
          baseline: await lagsOf(`baseline-${i}`, first, seq, clients),
        });
      }
      await fleet.stopPollers();
      await fleet.closeAll();
      const errors = (await fleet.counts()).pollErrors;
      for (const [i, clients] of crowds.entries()) {
        const r = results[i];
        if (!r) continue;
        log(
          `poll 3 s, ${clients} clients: p50 ${fmtMs(r.opsdeck.p50)}, p99 ${fmtMs(r.opsdeck.p99)}; ` +
            `polling 5 s: p50 ${fmtMs(r.baseline.p50)}, p99 ${fmtMs(r.baseline.p99)} ` +
            `(${r.opsdeck.missing}/${r.baseline.missing} missing, ${errors} poll errors)`,
        );
      }
      return results;
    };

    const n1 = await notifyRun(1);
    const nMany = await notifyRun(bigCrowd);
    const [p1, pMany] = quick
      ? await pollRun([1, bigCrowd])
      : [...(await pollRun([1])), ...(await pollRun([bigCrowd]))];
    if (!p1 || !pMany) throw new Error('missing poll results');

    const both = (l: ChangeLags) => `${fmtMs(l.p50)} / ${fmtMs(l.p99)}`;
    const missingNote = (l: ChangeLags) => (l.missing > 0 ? `, ${l.missing} not received` : '');
    return [
      {
        scenario: '2 lag',
        figureName: `notify, 1 client: p50 / p99${missingNote(n1)}`,
        figure: both(n1),
        baseline: `polling 5 s, 1 dashboard: ${both(p1.baseline)}`,
        ratio: fmtRatio(n1.p99, p1.baseline.p99),
        target: '—',
        met: '—',
      },
      {
        scenario: '2 lag',
        figureName: `notify, ${bigCrowd} clients: p50 / p99${missingNote(nMany)}`,
        figure: both(nMany),
        baseline: `polling 5 s, ${bigCrowd} dashboards: ${both(pMany.baseline)}`,
        ratio: fmtRatio(nMany.p99, pMany.baseline.p99),
        target: 'p99 < 50 ms',
        met: yesNo(nMany.p99 < 50 && nMany.missing === 0),
      },
      {
        scenario: '2 lag',
        figureName: `poll 3 s, 1 client: p50 / p99${missingNote(p1.opsdeck)}`,
        figure: both(p1.opsdeck),
        baseline: `polling 5 s, 1 dashboard: ${both(p1.baseline)}`,
        ratio: fmtRatio(p1.opsdeck.p99, p1.baseline.p99),
        target: '—',
        met: '—',
      },
      {
        scenario: '2 lag',
        figureName: `poll 3 s, ${bigCrowd} clients: p50 / p99${missingNote(pMany.opsdeck)}`,
        figure: both(pMany.opsdeck),
        baseline: `polling 5 s, ${bigCrowd} dashboards: ${both(pMany.baseline)}`,
        ratio: fmtRatio(pMany.opsdeck.p99, pMany.baseline.p99),
        target: '—',
        met: '—',
      },
    ];
  },
};

function config(scope: Context['scope'], db: BenchDatabase, mode: 'notify' | 'poll'): string {
  return writeConfig(scope, {
    database: { url: db.url, pool: 5 },
    watch: mode === 'notify' ? { mode: 'notify' } : { mode: 'poll', intervalMs: POLL_MS },
    sections: SALES_SECTIONS,
  });
}
