import { io } from 'socket.io-client';
import type { SectionUpdate } from '../../common/protocol.js';
import { sleep, waitUntil } from '../lib/clock.js';
import { Fleet } from '../lib/fleet.js';
import { InspectorClient, type HeapFigures } from '../lib/inspector.js';
import { createBenchDatabase, type BenchDatabase } from '../lib/pg.js';
import { processCpuMs, startBaseline, startOpsdeck, type ServerProcess } from '../lib/proc.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { writeConfig } from '../lib/serve.js';
import { max, median } from '../lib/stats.js';
import { fmtBytes, fmtMs, fmtRate, fmtRatio, yesNo, type ResultRow } from '../lib/table.js';

type ServerKind = 'opsdeck' | 'sio' | 'ws';

interface FanoutFigure {
  clients: number;
  /** Median over the repetitions: emit to the last client's receipt. */
  lastMs: number;
  /** clients / lastMs. */
  perSecond: number;
  received: number;
}

interface KindResult {
  fanouts: FanoutFigure[];
  /** After GC: before any client, and with every client connected, subscribed and idle. */
  heap0: HeapFigures;
  heapN: HeapFigures;
  clients: number;
}

const FANOUT_ROWS = 20;

/**
 * Scenarios 3 and 4: one ~2 KB update to 1k/5k/10k websocket clients of one server process, time
 * until the last client has it (from the server's own timestamp in the message) and deliveries per
 * second; the same with a bare Socket.IO broadcast server and a bare `ws` server. Then, with every
 * client connected, subscribed (3 sections) and idle, the server's heap and RSS after forced GC
 * (V8 inspector), against the bare Socket.IO server's.
 */
export const s3Fanout: Scenario = {
  id: '3+4',
  title: 'fan-out and memory per connection',
  timeoutMs: (quick) => (quick ? 120_000 : 420_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const sizes = quick ? [500] : [1000, 5000, 10_000];
    const repetitions = quick ? 2 : 5;
    const db = await createBenchDatabase(scope, 'fanout', seedFanout);
    const fleet = Fleet.start(scope, 4);
    let template = '{}';
    const results = new Map<ServerKind, KindResult>();
    let tick = 0;

    for (const kind of ['opsdeck', 'sio', 'ws'] as const) {
      const server = await startServer(ctx, kind, db);
      const inspector = await InspectorClient.connect(server.inspectorUrl ?? '');
      scope.defer(`inspector of ${kind}`, () => inspector.close());
      const trigger = async (): Promise<number> => {
        tick += 1;
        if (kind === 'opsdeck') await db.client.query('UPDATE fanout SET tick = $1', [tick]);
        else {
          const res = await fetch(`${server.url}/broadcast?id=${tick}`, {
            method: 'POST',
            body: template,
          });
          if (res.status !== 200) throw new Error(`broadcast answered ${res.status}`);
        }
        return tick;
      };
      const clientArgs = {
        kind,
        url: server.url,
        ...(kind === 'opsdeck' ? { sections: ['fanout', 'static_a', 'static_b'] } : {}),
        concurrency: 50,
      } as const;

      // Warm-up: code paths compiled, lazily created structures in place, then the empty heap.
      if (kind === 'opsdeck') template = await captureUpdate(server.url, trigger);
      await fleet.connect({ ...clientArgs, count: 100 });
      await fanoutOnce(fleet, trigger, 100);
      await fleet.closeAll();
      await sleep(quick ? 300 : 1000);
      const heap0 = await inspector.heapAfterGc(quick ? 2 : 3);

      const fanouts: FanoutFigure[] = [];
      let connected = 0;
      for (const size of sizes) {
        const c = await fleet.connect({ ...clientArgs, count: size - connected }, 300_000);
        connected += c.connected;
        if (c.failed > 0)
          log(`${kind}: ${c.failed} clients failed to connect: ${c.firstError ?? ''}`);
        log(
          `${kind}: ${connected} clients connected (${(c.ms / 1000).toFixed(1)} s for ${c.connected})`,
        );
        await sleep(quick ? 300 : 1000);
        const reps: { lastMs: number; received: number }[] = [];
        let serverCpu = 0;
        let clientCpu = 0;
        for (let r = 0; r < repetitions; r++) {
          const s0 = processCpuMs(server.pid);
          const c0 = (await fleet.counts()).cpuMs;
          reps.push(await fanoutOnce(fleet, trigger, connected));
          serverCpu += processCpuMs(server.pid) - s0;
          clientCpu += (await fleet.counts()).cpuMs - c0;
          await sleep(300);
        }
        const lastMs = median(reps.map((x) => x.lastMs));
        fanouts.push({
          clients: connected,
          lastMs,
          perSecond: connected / (lastMs / 1000),
          received: Math.min(...reps.map((x) => x.received)),
        });
        log(
          `${kind}: ${connected} clients, last received after ` +
            `${reps.map((x) => fmtMs(x.lastMs)).join(', ')}; CPU per fan-out: server ` +
            `${fmtMs(serverCpu / repetitions)}, client processes ${fmtMs(clientCpu / repetitions)}`,
        );
      }
      await sleep(quick ? 500 : 2000);
      const heapN = await inspector.heapAfterGc(quick ? 2 : 3);
      log(
        `${kind}: heap ${fmtBytes(heap0.heapUsed)} -> ${fmtBytes(heapN.heapUsed)}, ` +
          `RSS ${fmtBytes(heap0.rss)} -> ${fmtBytes(heapN.rss)} with ${connected} idle clients`,
      );
      results.set(kind, { fanouts, heap0, heapN, clients: connected });
      await fleet.closeAll();
      inspector.close();
      await server.stop();
    }

    const get = (k: ServerKind): KindResult => {
      const r = results.get(k);
      if (!r) throw new Error(`no result for ${k}`);
      return r;
    };
    const ops = get('opsdeck');
    const sio = get('sio');
    const ws = get('ws');
    const rows: ResultRow[] = [];
    sizes.forEach((size, i) => {
      const o = ops.fanouts[i];
      const s = sio.fanouts[i];
      const w = ws.fanouts[i];
      if (!o || !s || !w) return;
      const label = size >= 1000 ? `${size / 1000}k` : String(size);
      const lost = o.received < o.clients ? `, ${o.clients - o.received} missed` : '';
      rows.push({
        scenario: '3 fan-out',
        figureName: `${label} clients, ~${(template.length / 1024).toFixed(1)} KB: last client, deliveries/s${lost}`,
        figure: `${fmtMs(o.lastMs)}, ${fmtRate(o.perSecond)}`,
        baseline: `bare Socket.IO: ${fmtMs(s.lastMs)}, ${fmtRate(s.perSecond)}`,
        ratio: fmtRatio(o.perSecond, s.perSecond),
        target: '≥0.90x of bare Socket.IO',
        met: yesNo(o.perSecond >= 0.9 * s.perSecond && o.received === o.clients),
      });
      rows.push({
        scenario: '3 fan-out',
        figureName: `${label} clients: against bare ws`,
        figure: `${fmtMs(o.lastMs)}, ${fmtRate(o.perSecond)}`,
        baseline: `bare ws: ${fmtMs(w.lastMs)}, ${fmtRate(w.perSecond)}`,
        ratio: fmtRatio(o.perSecond, w.perSecond),
        target: '—',
        met: '—',
      });
    });
    const perConn = (r: KindResult, key: 'heapUsed' | 'rss') =>
      (r.heapN[key] - r.heap0[key]) / r.clients;
    const label = `${(ops.clients / 1000).toFixed(ops.clients % 1000 === 0 ? 0 : 1)}k`;
    rows.push(
      {
        scenario: '4 memory',
        figureName: `heap per connection, ${label} idle clients (3 sections each)`,
        figure: fmtBytes(perConn(ops, 'heapUsed')),
        baseline: `bare Socket.IO (3 rooms): ${fmtBytes(perConn(sio, 'heapUsed'))}`,
        ratio: fmtRatio(perConn(ops, 'heapUsed'), perConn(sio, 'heapUsed')),
        target: '< 8 KB',
        met: yesNo(perConn(ops, 'heapUsed') < 8 * 1024),
      },
      {
        scenario: '4 memory',
        figureName: `RSS per connection, ${label} idle clients (heap ${fmtBytes(ops.heapN.heapUsed)}, RSS ${fmtBytes(ops.heapN.rss)})`,
        figure: fmtBytes(perConn(ops, 'rss')),
        baseline: `bare Socket.IO: ${fmtBytes(perConn(sio, 'rss'))}`,
        ratio: fmtRatio(perConn(ops, 'rss'), perConn(sio, 'rss')),
        target: '—',
        met: '—',
      },
    );
    return rows;
  },
};

async function seedFanout(client: BenchDatabase['client']): Promise<void> {
  await client.query(
    'CREATE TABLE fanout (k int PRIMARY KEY, tick int NOT NULL, label text NOT NULL, value float8 NOT NULL)',
  );
  await client.query(
    `INSERT INTO fanout SELECT k, 0, 'Line item ' || k || ' ' || repeat('abcdefghij', 5), k * 101.25
     FROM generate_series(1, ${FANOUT_ROWS}) k`,
  );
  await client.query('CREATE TABLE static_rows (k int PRIMARY KEY, label text NOT NULL)');
  await client.query(
    "INSERT INTO static_rows SELECT k, 'Static ' || k FROM generate_series(1, 10) k",
  );
  await client.query(`CREATE FUNCTION opsdeck_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('opsdeck_changes', TG_TABLE_NAME); RETURN NULL; END $$`);
  await client.query(`CREATE TRIGGER fanout_notify AFTER INSERT OR UPDATE OR DELETE ON fanout
  FOR EACH STATEMENT EXECUTE FUNCTION opsdeck_changes_notify()`);
}

function startServer(ctx: Context, kind: ServerKind, db: BenchDatabase): Promise<ServerProcess> {
  const options = { scope: ctx.scope, inspect: true };
  if (kind === 'sio')
    return startBaseline('bare-socketio', 'socketioServer', ['--port', '0'], options);
  if (kind === 'ws') return startBaseline('bare-ws', 'wsServer', ['--port', '0'], options);
  const config = writeConfig(ctx.scope, {
    database: { url: db.url, pool: 2 },
    watch: { mode: 'notify', intervalMs: 3_600_000 },
    sections: [
      {
        id: 'fanout',
        title: 'Fan-out',
        view: { type: 'table' },
        sql: 'SELECT k, tick, label, value FROM fanout ORDER BY k',
        tables: ['fanout'],
      },
      {
        id: 'static_a',
        title: 'Static A',
        view: { type: 'table' },
        sql: 'SELECT k, label FROM static_rows ORDER BY k',
        tables: ['static_rows'],
      },
      {
        id: 'static_b',
        title: 'Static B',
        view: { type: 'stat' },
        sql: 'SELECT count(*) AS n FROM static_rows',
        tables: ['static_rows'],
      },
    ],
  });
  return startOpsdeck('opsdeck', ['serve', '--config', config, '--port', '0'], options);
}

/** One update to every connected client; emit-to-last-receipt and how many got it. */
async function fanoutOnce(
  fleet: Fleet,
  trigger: () => Promise<number>,
  expected: number,
): Promise<{ lastMs: number; received: number }> {
  await fleet.reset();
  const id = await trigger();
  try {
    await waitUntil(
      `${expected} clients to receive update ${id}`,
      async () => (await fleet.counts()).updates >= expected,
      30_000,
      100,
    );
  } catch {
    // Reported as missed deliveries below.
  }
  const receipt = (await fleet.fanout()).get(id);
  if (!receipt) return { lastMs: NaN, received: 0 };
  return { lastMs: max(receipt.recv) - receipt.sentAt, received: receipt.recv.length };
}

/**
 * The fan-out section's `update` as one client of the benchmark receives it (JSON): the bare
 * servers broadcast this very message, so every server sends the same shape and size.
 */
async function captureUpdate(url: string, trigger: () => Promise<number>): Promise<string> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    const seen: string[] = [];
    socket.on('update', (u: SectionUpdate) => {
      if (u.section === 'fanout') seen.push(JSON.stringify(u));
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    await socket.timeout(5000).emitWithAck('subscribe', { sections: ['fanout'] });
    await sleep(300);
    const before = seen.length;
    await trigger();
    await waitUntil('the fan-out update', () => seen.length > before, 10_000);
    return seen[seen.length - 1] ?? '{}';
  } finally {
    socket.close();
  }
}
