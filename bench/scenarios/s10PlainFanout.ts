import type pg from 'pg';
import { now, sleep, waitUntil } from '../lib/clock.js';
import { changeLags, changeWindows, type ChangeLags } from '../lib/changeLags.js';
import { Fleet } from '../lib/fleet.js';
import { InspectorClient, type HeapFigures } from '../lib/inspector.js';
import { createBenchDatabase, type BenchDatabase } from '../lib/pg.js';
import { processCpuMs, startBaseline, startOpsdeck, type ServerProcess } from '../lib/proc.js';
import {
  insertMarker,
  SALES_SECTION_IDS,
  SALES_SECTIONS,
  seedSalesDatabase,
} from '../lib/salesDb.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { writeConfig } from '../lib/serve.js';
import { fmtBytes, fmtMs, type ResultRow } from '../lib/table.js';
import { lagRows, memoryRows, type MemoryFigures } from './s10Rows.js';

type Side = 'opsdeck' | 'plain';
const SIDES: readonly Side[] = ['opsdeck', 'plain'];

interface SideUnderTest {
  server: ServerProcess;
  db: BenchDatabase;
  inspector: InspectorClient;
  heap0?: HeapFigures;
  /** marker -> when the bench sent its COMMIT. */
  committed: Map<number, number>;
  serverCpuMs: number;
}

/**
 * Scenario 10 (issue 11, targets 1 and 2): `opsdeck serve` on PostgreSQL in notify mode against a
 * plain server written the obvious way (baselines/plainPgServer: stock Socket.IO + pg, LISTEN,
 * re-run the three queries, emit to each section's room), side by side in one run. Each has its
 * own copy of the sales database and its own fleet of stock socket.io-client connections (child
 * processes), every client subscribed to the three seed sections. Changes alternate between the
 * two databases, one at a time, each waited for until every client has it (so the two servers
 * never fan out at once): a committed INSERT whose marker shows up in `recent`, timed from just
 * before the bench sends COMMIT to each client's receipt. Then, every client idle, each server's
 * heap and RSS after forced GC (V8 inspector), per connection.
 */
export const s10PlainFanout: Scenario = {
  id: '10',
  title: 'fan-out and memory against a plain Socket.IO + pg server',
  timeoutMs: (quick) => (quick ? 150_000 : 900_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const sizes = quick ? [300] : [2000, 10_000];
    const changes = quick ? 10 : 30;
    const sides = new Map<Side, SideUnderTest>();
    for (const side of SIDES) sides.set(side, await startSide(ctx, side));
    const get = (side: Side): SideUnderTest => {
      const s = sides.get(side);
      if (!s) throw new Error(`no ${side} server`);
      return s;
    };
    const fleet = Fleet.start(scope, 4);
    let seq = 1000;
    const commit = async (side: Side): Promise<number> => {
      seq += 1;
      const s = get(side);
      s.committed.set(seq, await commitMarker(s.db.client, seq));
      return seq;
    };
    const change = async (side: Side, clients: number): Promise<void> => {
      const s = get(side);
      const cpu0 = processCpuMs(s.server.pid);
      const marker = await commit(side);
      try {
        await waitUntil(
          `${clients} ${side} clients to show change ${marker}`,
          async () => (await fleet.markerReceipts(side, marker)) >= clients,
          quick ? 5000 : 15_000,
          25,
        );
      } catch {
        // Counted as missing updates below.
      }
      s.serverCpuMs += processCpuMs(s.server.pid) - cpu0;
    };

    // Warm-up: code paths compiled and lazily created structures in place, then the empty heap.
    for (const side of SIDES) {
      await fleet.connect(clientArgs(get(side), side, 50));
      for (let i = 0; i < 3; i++) await change(side, 50);
    }
    await fleet.closeAll();
    await sleep(quick ? 300 : 1000);
    for (const side of SIDES) get(side).heap0 = await get(side).inspector.heapAfterGc(3);

    const rows: ResultRow[] = [];
    let connected = 0;
    for (const size of sizes) {
      for (const side of SIDES) {
        const c = await fleet.connect(clientArgs(get(side), side, size - connected), 300_000);
        if (c.failed > 0) throw new Error(`${side}: ${c.failed} clients failed: ${c.firstError}`);
        log(`${side}: ${size} clients connected (${(c.ms / 1000).toFixed(1)} s)`);
      }
      connected = size;
      await sleep(quick ? 500 : 2000);
      await fleet.reset();
      const first = seq + 1;
      for (const side of SIDES) get(side).serverCpuMs = 0;
      for (let i = 0; i < changes; i++) {
        // Alternate who goes first, so that neither always follows the other's fan-out.
        for (const side of i % 2 === 0 ? SIDES : [...SIDES].reverse()) {
          await change(side, size);
          await sleep(50);
        }
      }
      const receipts = await fleet.markers();
      const lags = new Map<Side, ChangeLags>();
      const whole = new Map<Side, ChangeLags>();
      for (const side of SIDES) {
        const committed = get(side).committed;
        const byMarker = receipts.get(side) ?? new Map<number, number[]>();
        const l = changeLags(committed, byMarker, first, seq, size);
        const complete = await fleet.completions(
          side,
          changeWindows(committed, first),
          SALES_SECTION_IDS,
        );
        const w = changeLags(committed, complete, first, seq, size);
        lags.set(side, l);
        whole.set(side, w);
        log(
          `${side}, ${size} clients: p50 ${fmtMs(l.p50)}, p99 ${fmtMs(l.p99)}, last client ` +
            `(median over ${changes} changes) ${fmtMs(l.last)}, ${l.missing} missing; all three ` +
            `sections: p50 ${fmtMs(w.p50)}, p99 ${fmtMs(w.p99)}, last ${fmtMs(w.last)}, ` +
            `${w.missing} incomplete; server CPU per change ${fmtMs(get(side).serverCpuMs / changes)}`,
        );
      }
      rows.push(...lagRows(size, lags, whole));
    }

    await sleep(quick ? 500 : 2000);
    const memory = new Map<Side, MemoryFigures>();
    for (const side of SIDES) {
      const s = get(side);
      const heapN = await s.inspector.heapAfterGc(3);
      const heap0 = s.heap0 ?? heapN;
      memory.set(side, {
        heap: (heapN.heapUsed - heap0.heapUsed) / connected,
        rss: (heapN.rss - heap0.rss) / connected,
        heapN,
      });
      log(
        `${side}: heap ${fmtBytes(heap0.heapUsed)} -> ${fmtBytes(heapN.heapUsed)}, RSS ` +
          `${fmtBytes(heap0.rss)} -> ${fmtBytes(heapN.rss)} with ${connected} idle clients`,
      );
    }
    await fleet.closeAll();
    rows.push(...memoryRows(connected, memory.get('opsdeck'), memory.get('plain')));
    return rows;
  },
};

async function startSide(ctx: Context, side: Side): Promise<SideUnderTest> {
  const { scope } = ctx;
  const db = await createBenchDatabase(scope, `plain_${side}`, (c) => seedSalesDatabase(c, 5000));
  const options = { scope, inspect: true };
  const server =
    side === 'plain'
      ? await startBaseline(
          'plain-server',
          'plainPgServer',
          ['--db', db.url, '--port', '0'],
          options,
        )
      : await startOpsdeck(
          'opsdeck-notify',
          ['serve', '--config', config(ctx, db), '--port', '0'],
          options,
        );
  const inspector = await InspectorClient.connect(server.inspectorUrl ?? '');
  scope.defer(`inspector of ${side}`, () => inspector.close());
  return { server, db, inspector, committed: new Map(), serverCpuMs: 0 };
}

function config(ctx: Context, db: BenchDatabase): string {
  return writeConfig(ctx.scope, {
    database: { url: db.url, pool: 5 },
    watch: { mode: 'notify' },
    sections: SALES_SECTIONS,
  });
}

function clientArgs(s: SideUnderTest, side: Side, count: number) {
  return {
    kind: 'opsdeck',
    url: s.server.url,
    count,
    sections: SALES_SECTION_IDS,
    group: side,
    recordArrivals: true,
    concurrency: 50,
  } as const;
}

/** One committed change; the time is taken just before COMMIT is sent. */
async function commitMarker(client: pg.Client, seq: number): Promise<number> {
  await client.query('BEGIN');
  await insertMarker(client, seq);
  const at = now();
  await client.query('COMMIT');
  return at;
}
