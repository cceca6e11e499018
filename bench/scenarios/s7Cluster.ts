import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { REDIS_URL, startBenchCluster } from '../lib/benchCluster.js';
import { now, sleep, waitUntil } from '../lib/clock.js';
import { Fleet } from '../lib/fleet.js';
import { createBenchDatabase } from '../lib/pg.js';
import type { ServerProcess } from '../lib/proc.js';
import {
  insertMarker,
  SALES_SECTION_IDS,
  SALES_SECTIONS,
  seedSalesDatabase,
} from '../lib/salesDb.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { metric } from '../lib/serve.js';
import { percentile } from '../lib/stats.js';
import { fmtMs, fmtRatio, yesNo, type ResultRow } from '../lib/table.js';

const NODES = 3;

/**
 * Scenario 7: three `opsdeck serve` nodes sharing Redis, notify mode. One client on the leader and
 * one on each follower, all in one fleet process (one clock). For every change: follower client's
 * receipt minus the leader client's receipt. Baseline: a bare Redis PUBLISH -> SUBSCRIBE hop with
 * the same payload size, measured in the same run.
 */
export const s7Cluster: Scenario = {
  id: '7',
  title: 'cluster extra latency',
  timeoutMs: (quick) => (quick ? 60_000 : 150_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const changes = quick ? 30 : 200;
    const db = await createBenchDatabase(scope, 'cluster', (c) => seedSalesDatabase(c, 5000));
    const { nodes } = await startBenchCluster(
      scope,
      {
        database: { url: db.url, pool: 5 },
        watch: { mode: 'notify', intervalMs: 3_600_000 },
        sections: SALES_SECTIONS,
      },
      NODES,
    );
    let leader: ServerProcess | undefined;
    await waitUntil(
      'a leader',
      async () => {
        const flags = await Promise.all(nodes.map((n) => metric(n.url, 'opsdeck_is_leader')));
        leader = nodes[flags.indexOf(1)];
        return flags.filter((f) => f === 1).length === 1;
      },
      20_000,
      200,
    );
    if (!leader) throw new Error('no leader');
    const followers = nodes.filter((n) => n !== leader);
    const fleet = Fleet.start(scope, 1);
    await fleet.connectOn(0, {
      kind: 'opsdeck',
      url: leader.url,
      count: 1,
      sections: SALES_SECTION_IDS,
      group: 'leader',
    });
    for (const [i, f] of followers.entries()) {
      await fleet.connectOn(0, {
        kind: 'opsdeck',
        url: f.url,
        count: 1,
        sections: SALES_SECTION_IDS,
        group: `follower-${i}`,
      });
    }
    await sleep(1000);
    await fleet.reset();
    const committed = new Map<number, number>();
    for (let seq = 1; seq <= changes; seq++) {
      committed.set(seq, now());
      await insertMarker(db.client, seq);
      await sleep(120 + Math.random() * 50);
    }
    await sleep(1500);
    const markers = await fleet.markers();
    const atLeader = markers.get('leader');
    const extra: number[] = [];
    const local: number[] = [];
    let missing = 0;
    for (let seq = 1; seq <= changes; seq++) {
      const l = atLeader?.get(seq)?.[0];
      if (l === undefined) {
        missing += 1;
        continue;
      }
      local.push(l - (committed.get(seq) ?? NaN));
      for (let i = 0; i < followers.length; i++) {
        const f = markers.get(`follower-${i}`)?.get(seq)?.[0];
        if (f === undefined) missing += 1;
        else extra.push(f - l);
      }
    }
    const hop = await redisHop(quick ? 200 : 1000, 2200);
    const p99 = percentile(extra, 99);
    log(
      `extra latency follower vs leader client: p50 ${fmtMs(percentile(extra, 50))}, p99 ${fmtMs(p99)} ` +
        `(${extra.length} samples, ${missing} missing); leader's own client: commit to update p50 ` +
        `${fmtMs(percentile(local, 50))}, p99 ${fmtMs(percentile(local, 99))}; ` +
        `bare Redis hop p50 ${fmtMs(percentile(hop, 50))}, p99 ${fmtMs(percentile(hop, 99))}`,
    );
    return [
      {
        scenario: '7 cluster',
        figureName: `${NODES} nodes: leader -> client of another node, extra p99 (p50 ${fmtMs(percentile(extra, 50))})`,
        figure: fmtMs(p99),
        baseline: `bare Redis pub/sub hop p99: ${fmtMs(percentile(hop, 99))}`,
        ratio: fmtRatio(p99, percentile(hop, 99)),
        target: '< 10 ms',
        met: yesNo(p99 < 10 && missing === 0),
      },
    ];
  },
};

/** PUBLISH -> message on a second connection, `bytes` payloads, one at a time. */
async function redisHop(samples: number, bytes: number): Promise<number[]> {
  const pub = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const sub = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const channel = `opsdeck-bench-hop-${randomBytes(4).toString('hex')}`;
    const lags: number[] = [];
    let waiting: ((at: number) => void) | undefined;
    sub.on('message', () => waiting?.(now()));
    await sub.subscribe(channel);
    const pad = 'x'.repeat(bytes);
    for (let i = 0; i < samples; i++) {
      const received = new Promise<number>((resolve) => (waiting = resolve));
      const sent = now();
      await pub.publish(channel, pad);
      lags.push((await received) - sent);
      await sleep(2);
    }
    return lags;
  } finally {
    pub.disconnect();
    sub.disconnect();
  }
}
