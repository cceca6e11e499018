import { io, type Socket } from 'socket.io-client';
import { startBenchCluster } from './benchCluster.js';
import { now, sleep, waitUntil } from './clock.js';
import type { ServerProcess } from './proc.js';
import type { Context } from './scenario.js';
import { metric } from './serve.js';
import { fmtMs, yesNo, type ResultRow } from './table.js';

const NODES = 3;

/** The one section: its single row counts the rows committed, so it shows every one. */
export const COUNT_SECTION = {
  id: 'totals',
  title: 'Totals',
  view: { type: 'stat' },
  sql: 'SELECT count(*) AS n FROM events',
  tables: ['events'],
};

/** A change feed on a database of the scenario's own, as the failover scenario needs it. */
export interface FailoverFeed {
  /** The table's first column, e.g. "12f logical failover". */
  scenario: string;
  /**
   * Starts the database (stopped with the scope) with an empty `events` table; returns the
   * `database` and `watch` parts of the configuration and a commit of one row (its id).
   */
  start(ctx: Context): Promise<{
    database: object;
    watch: object;
    commit: () => Promise<number>;
  }>;
}

/**
 * Issue 12, a change feed in a 3-node cluster: one commit every 50 ms while the leader is killed
 * with SIGKILL. Every row committed (before, during and after the failover) must show up on the
 * surviving nodes' clients through the new leader's feed; the safety re-check is an hour away.
 * Figures: rows shown / rows committed, and the time from the kill until the survivors' clients
 * show a row committed after it.
 */
export async function runFeedFailover(ctx: Context, feed: FailoverFeed): Promise<ResultRow[]> {
  const { scope, log, quick } = ctx;
  const { database, watch, commit } = await feed.start(ctx);
  const { nodes } = await startBenchCluster(
    scope,
    { database, watch: { ...watch, intervalMs: 3_600_000 }, sections: [COUNT_SECTION] },
    NODES,
  );
  const leader = await leaderOf(nodes);
  const survivors = nodes.filter((n) => n !== leader);
  const shown = survivors.map(() => 0);
  const firstSeen: (number | undefined)[] = survivors.map(() => undefined);
  let firstAfterKill = Number.POSITIVE_INFINITY;
  const sockets: Socket[] = [];
  scope.defer('close the clients', () => sockets.forEach((s) => s.close()));
  await Promise.all(
    survivors.map(async (node, i) => {
      const socket = io(node.url, { transports: ['websocket'], forceNew: true });
      sockets.push(socket);
      socket.on('update', (u: { rows: Record<string, unknown>[] }) => {
        shown[i] = Number(u.rows[0]?.['n'] ?? 0);
        if (firstSeen[i] === undefined && shown[i] >= firstAfterKill) firstSeen[i] = now();
      });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      await socket.timeout(10_000).emitWithAck('subscribe', { sections: [COUNT_SECTION.id] });
    }),
  );

  let committed = 0;
  const rounds = quick ? 60 : 120;
  let killedAt = 0;
  for (let i = 0; i < rounds; i++) {
    if (i === rounds / 3) {
      killedAt = now();
      leader.child.kill('SIGKILL');
    }
    const id = await commit();
    committed = id;
    if (killedAt > 0 && firstAfterKill === Number.POSITIVE_INFINITY) firstAfterKill = id;
    await sleep(50);
  }
  const newLeader = await leaderOf(survivors);
  await waitUntil('every row on the survivors', () => shown.every((n) => n >= committed), 30_000);
  const gap = Math.max(...firstSeen.map((t) => (t ?? NaN) - killedAt));
  log(
    `leader ${leader.name} killed; ${newLeader.name} leads; ${committed} rows committed, survivors show ${shown.join(', ')}; first post-kill row on every survivor ${fmtMs(gap)} after the kill`,
  );
  const all = shown.every((n) => n === committed);
  return [
    {
      scenario: feed.scenario,
      figureName: `rows shown by the survivors / committed (${rounds} commits, 50 ms apart, leader kill -9 after ${rounds / 3})`,
      figure: `${Math.min(...shown)} / ${committed}`,
      baseline: '—',
      ratio: '—',
      target: 'every row',
      met: yesNo(all),
    },
    {
      scenario: feed.scenario,
      figureName: 'kill -9 -> first row committed after it on every survivor',
      figure: fmtMs(gap),
      baseline: '—',
      ratio: '—',
      target: '—',
      met: '—',
    },
  ];
}

async function leaderOf(among: ServerProcess[]): Promise<ServerProcess> {
  let found: ServerProcess | undefined;
  await waitUntil(
    'a leader',
    async () => {
      const flags = await Promise.all(
        among.map((n) => metric(n.url, 'opsdeck_is_leader').catch(() => 0)),
      );
      found = among[flags.indexOf(1)];
      return flags.filter((f) => f === 1).length === 1;
    },
    30_000,
    100,
  );
  if (!found) throw new Error('no leader');
  return found;
}
