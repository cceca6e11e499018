import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import type { SectionUpdate } from '../../common/protocol.js';
import { notifyTriggerSql } from '../../server/config/notifyTriggerSql.js';
import { deleteClusterKeys } from '../../testkit/clusterKeys.js';
import { eventSections } from '../../testkit/eventSections.js';
import { InspectorClient, type HeapFigures } from '../../testkit/inspector.js';
import { REDIS_URL } from '../lib/benchCluster.js';
import { sleep } from '../lib/clock.js';
import { createBenchDatabase } from '../lib/pg.js';
import { benchScript, startOpsdeck, track, type ServerProcess } from '../lib/proc.js';
import type { Context, Scenario } from '../lib/scenario.js';
import type { Scope } from '../lib/scope.js';
import { metricsText, metricValue, writeConfig } from '../lib/serve.js';
import { fmtBytes, fmtCount, yesNo, type ResultRow } from '../lib/table.js';
import type { SoakReport, SoakRequest } from './soakClients.js';

const CLIENTS = 2000;
const CLIENT_PROCESSES = 2;
const CHANGES_PER_S = 10;
/** Each client drops its connection about this often, at random. */
const DROP_EVERY_MS = 120_000;
const SECTIONS = eventSections(5);
const SECTION_IDS = SECTIONS.map((s) => s.id);
const HEAP_GROWTH_MAX = 10 * 1024 * 1024;
const RSS_GROWTH_MAX = 50 * 1024 * 1024;

interface Node {
  server: ServerProcess;
  inspector: InspectorClient;
  /** Heap after GC once warmed up; undefined until then. */
  warm: HeapFigures | undefined;
  alive: boolean;
}

/**
 * The cluster soak (issue 15, `npm run bench -- --soak 30m`): 3 `opsdeck serve` nodes on the
 * shared Redis and PostgreSQL (notify mode), 10 changes a second, 2,000 clients in two processes
 * that drop their connections at random (about every 2 minutes each) and come back with `have` on
 * a random node, and a kill -9 of the leader every 5 minutes (every third of the run when it is
 * shorter than 15 minutes), each replaced by a new node. At the end: every client at the latest
 * version of every section, no version seen twice or going back, never two leaders in the samples
 * (every 500 ms), and the heap after GC and the RSS of the nodes that lived through most of the
 * run flat (end against warm-up).
 */
export function clusterSoak(durationMs: number): Scenario {
  const killEveryMs = durationMs >= 15 * 60_000 ? 5 * 60_000 : Math.max(30_000, durationMs / 3);
  return {
    id: 'soak',
    title: `cluster soak ${Math.round(durationMs / 60_000)} min`,
    timeoutMs: () => durationMs + 5 * 60_000,
    run: (ctx) => runSoak(ctx, durationMs, killEveryMs),
  };
}

async function runSoak(
  ctx: Context,
  durationMs: number,
  killEveryMs: number,
): Promise<ResultRow[]> {
  const { scope, log } = ctx;
  const db = await createBenchDatabase(scope, 'soak', async (client) => {
    await client.query('CREATE TABLE events (id serial PRIMARY KEY, note text NOT NULL)');
    await client.query(notifyTriggerSql('opsdeck_changes', ['events']));
  });
  const name = `soak-${randomBytes(5).toString('hex')}`;
  scope.defer(`delete Redis keys of ${name}`, () => deleteClusterKeys(REDIS_URL, name));
  const file = writeConfig(scope, {
    database: { url: db.url, pool: 2 },
    watch: { mode: 'notify', intervalMs: 600_000 },
    cluster: { redis: REDIS_URL, name },
    sections: SECTIONS,
  });
  const nodes: Node[] = [];
  let started = 0;
  const startNode = async (): Promise<Node> => {
    const server = await startOpsdeck(
      `soak-node-${started++}`,
      ['serve', '--config', file, '--port', '0'],
      { scope, inspect: true },
    );
    const inspector = await InspectorClient.connect(server.inspectorUrl ?? '');
    scope.defer(`inspector of ${server.name}`, () => inspector.close());
    const node: Node = { server, inspector, warm: undefined, alive: true };
    nodes.push(node);
    return node;
  };
  for (let i = 0; i < 3; i++) await startNode();
  const live = () => nodes.filter((n) => n.alive);
  const urls = () => live().map((n) => n.server.url);
  await leaderOf(live(), 30_000);

  const fleet = startClients(scope);
  const perProcess = CLIENTS / CLIENT_PROCESSES;
  await Promise.all(
    fleet.map((c) =>
      c.call({
        cmd: 'start',
        count: perProcess,
        sections: SECTION_IDS,
        urls: urls(),
        dropEveryMs: DROP_EVERY_MS,
      }),
    ),
  );
  const waitSubscribed = async (what: string) => {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(1000)) {
      const reports = await reportAll(fleet, {});
      if (reports.subscribed >= CLIENTS * 0.9) return;
    }
    throw new Error(`${what}: clients not subscribed in 2 minutes`);
  };
  await waitSubscribed('start');
  log(
    `${CLIENTS} clients on ${nodes.length} nodes; ${CHANGES_PER_S} changes/s for ${durationMs / 1000} s`,
  );

  let inserts = 0;
  const run = { writing: true, sampling: true };
  const writer = (async () => {
    const period = 1000 / CHANGES_PER_S;
    for (let next = Date.now(); run.writing; next += period) {
      await db.client.query('INSERT INTO events (note) VALUES ($1)', [`soak ${inserts}`]);
      inserts++;
      await sleep(Math.max(0, next + period - Date.now()));
    }
  })();
  let overlaps = 0;
  let samples = 0;
  const sampler = (async () => {
    while (run.sampling) {
      const flags = await Promise.all(live().map((n) => isLeader(n).catch(() => false)));
      samples++;
      if (flags.filter(Boolean).length > 1) overlaps++;
      await sleep(500);
    }
  })();

  const t0 = Date.now();
  const warmAfterMs = Math.min(60_000, durationMs / 4);
  let kills = 0;
  let nextKill = t0 + killEveryMs;
  while (Date.now() - t0 < durationMs) {
    await sleep(1000);
    for (const n of live()) {
      if (!n.warm && Date.now() - n.server.startedAt >= warmAfterMs)
        n.warm = await n.inspector.heapAfterGc();
    }
    if (Date.now() >= nextKill && Date.now() - t0 < durationMs - 20_000) {
      nextKill += killEveryMs;
      const leader = await leaderOf(live(), 30_000);
      leader.alive = false;
      leader.server.child.kill('SIGKILL');
      kills++;
      const replacement = await startNode();
      await Promise.all(fleet.map((c) => c.call({ cmd: 'urls', urls: urls() })));
      log(`leader ${leader.server.name} killed (kill ${kills}); ${replacement.server.name} joins`);
    }
  }
  run.writing = false;
  await writer;
  log(`${inserts} changes written; waiting for every client to hold the latest versions`);

  const { expected, stale } = await servedVersions(live());
  if (stale.length > 0)
    log(`nodes serving older versions 30 s after the last change: ${stale.join('; ')}`);
  let final = await reportAll(fleet, expected);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(1000)) {
    final = await reportAll(fleet, expected);
    if (final.atExpected === CLIENTS) break;
  }
  run.sampling = false;
  await sampler;
  await Promise.all(fleet.map((c) => c.call({ cmd: 'stop' }).catch(() => undefined)));

  // Memory of the nodes that lived through at least half of the run.
  const growth: { heap: number; rss: number; node: string }[] = [];
  for (const n of live()) {
    if (!n.warm || Date.now() - n.server.startedAt < durationMs / 2) continue;
    const end = await n.inspector.heapAfterGc();
    growth.push({
      node: n.server.name,
      heap: end.heapUsed - n.warm.heapUsed,
      rss: end.rss - n.warm.rss,
    });
  }
  const maxHeap = Math.max(...growth.map((g) => g.heap));
  const maxRss = Math.max(...growth.map((g) => g.rss));
  log(
    `end: ${final.atExpected}/${CLIENTS} at the latest versions, ${final.violations} repeated or ` +
      `backward versions${final.firstViolation ? ` (first: ${final.firstViolation})` : ''}, ` +
      `${final.drops} random drops, ${final.sessions} sessions, ${kills} leader kills, ` +
      `${overlaps}/${samples} samples with two leaders; memory: ` +
      growth.map((g) => `${g.node} heap ${fmtSigned(g.heap)} RSS ${fmtSigned(g.rss)}`).join(', '),
  );
  const label = `${Math.round(durationMs / 60_000)} min, ${CLIENTS} clients, ${kills} leader kills`;
  return [
    {
      scenario: 'soak cluster',
      figureName: `clients at the latest version at the end (${label})`,
      figure: `${fmtCount(final.atExpected)}/${fmtCount(CLIENTS)}`,
      baseline: `${fmtCount(inserts)} changes, ${fmtCount(final.drops)} random drops`,
      ratio: '—',
      target: 'all',
      met: yesNo(final.atExpected === CLIENTS),
    },
    {
      scenario: 'soak cluster',
      figureName: 'versions received twice or going back; samples with two leaders',
      figure: `${final.violations}; ${overlaps} of ${samples}`,
      baseline: `${fmtCount(final.updates)} updates received`,
      ratio: '—',
      target: '0; 0',
      met: yesNo(final.violations === 0 && overlaps === 0),
    },
    {
      scenario: 'soak cluster',
      figureName: 'nodes serving an older version 30 s after the last change',
      figure: stale.length === 0 ? '0' : `${stale.length}: ${stale.join('; ')}`,
      baseline: `${live().length} live nodes`,
      ratio: '—',
      target: '0',
      met: yesNo(stale.length === 0),
    },
    {
      scenario: 'soak cluster',
      figureName: `heap after GC / RSS growth, warm-up to end (${growth.length} long-lived nodes)`,
      figure:
        growth.length > 0 ? `${fmtSigned(maxHeap)} / ${fmtSigned(maxRss)}` : 'no long-lived node',
      baseline: 'after the warm-up',
      ratio: '—',
      target: `< ${fmtBytes(HEAP_GROWTH_MAX)} / < ${fmtBytes(RSS_GROWTH_MAX)}`,
      met: yesNo(growth.length > 0 && maxHeap < HEAP_GROWTH_MAX && maxRss < RSS_GROWTH_MAX),
    },
  ];
}

function fmtSigned(bytes: number): string {
  return `${bytes >= 0 ? '+' : '-'}${fmtBytes(Math.abs(bytes))}`;
}

async function isLeader(node: Node): Promise<boolean> {
  return metricValue(await metricsText(node.server.url), 'opsdeck_is_leader') === 1;
}

async function leaderOf(nodes: Node[], timeoutMs: number): Promise<Node> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    const flags = await Promise.all(nodes.map((n) => isLeader(n).catch(() => false)));
    const leader = nodes.find((_, i) => flags[i]);
    if (leader) return leader;
  }
  throw new Error(`no leader within ${timeoutMs} ms`);
}

/**
 * The versions the nodes serve (a fresh subscribe per node), waited for up to 30 s to agree: the
 * newest of each section, and the nodes still serving an older one then (named, with theirs).
 */
async function servedVersions(
  nodes: Node[],
): Promise<{ expected: Record<string, number>; stale: string[] }> {
  let answers: Record<string, number>[] = [];
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(1000)) {
    answers = await Promise.all(nodes.map((n) => subscribeOnce(n.server.url)));
    if (answers.every((a) => JSON.stringify(a) === JSON.stringify(answers[0]))) break;
  }
  const expected: Record<string, number> = {};
  for (const a of answers)
    for (const [section, v] of Object.entries(a))
      expected[section] = Math.max(expected[section] ?? 0, v);
  const stale = nodes.flatMap((n, i) => {
    const behind = Object.entries(expected).filter(([s, v]) => answers[i]?.[s] !== v);
    if (behind.length === 0) return [];
    const what = behind.map(([s, v]) => `${s} v${answers[i]?.[s] ?? 'none'} < v${v}`).join(', ');
    return [`${n.server.name} (${what})`];
  });
  return { expected, stale };
}

function subscribeOnce(url: string): Promise<Record<string, number>> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const versions: Record<string, number> = {};
  socket.on('update', (u: SectionUpdate) => (versions[u.section] = u.version));
  return socket
    .timeout(30_000)
    .emitWithAck('subscribe', { sections: SECTION_IDS })
    .then(() => socket.timeout(30_000).emitWithAck('catalog'))
    .then(() => versions)
    .finally(() => socket.close());
}

interface SoakProcess {
  call(req: SoakRequest): Promise<unknown>;
}

function startClients(scope: Scope): SoakProcess[] {
  return Array.from({ length: CLIENT_PROCESSES }, (_, i) => {
    const child: ChildProcess = fork(benchScript('scenarios/soakClients.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    track(child);
    scope.defer(`soak clients ${i}`, () => {
      child.kill('SIGKILL');
    });
    let nextId = 1;
    const pending = new Map<number, (v: unknown) => void>();
    child.on('message', (m: { id: number; result: unknown }) => {
      pending.get(m.id)?.(m.result);
      pending.delete(m.id);
    });
    return {
      call: (req) =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          const timer = setTimeout(
            () => reject(new Error(`soak clients: ${req.cmd} unanswered`)),
            60_000,
          );
          pending.set(id, (v) => {
            clearTimeout(timer);
            resolve(v);
          });
          child.send({ id, req });
        }),
    };
  });
}

async function reportAll(
  fleet: SoakProcess[],
  expected: Record<string, number>,
): Promise<SoakReport> {
  const reports = (await Promise.all(
    fleet.map((c) => c.call({ cmd: 'report', expected })),
  )) as SoakReport[];
  const sum = (
    key: 'clients' | 'subscribed' | 'atExpected' | 'violations' | 'drops' | 'sessions' | 'updates',
  ) => reports.reduce((n, r) => n + r[key], 0);
  return {
    clients: sum('clients'),
    subscribed: sum('subscribed'),
    atExpected: sum('atExpected'),
    violations: sum('violations'),
    firstViolation: reports.find((r) => r.firstViolation)?.firstViolation,
    drops: sum('drops'),
    sessions: sum('sessions'),
    updates: sum('updates'),
  };
}
