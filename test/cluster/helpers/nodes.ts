import type { CatalogAck } from '../../../common/protocol.js';
import { connect, request, waitFor } from '../../helpers/client.js';
import { metricSum, metricValue, scrape } from '../../helpers/metrics.js';
import { startOpsdeck, type OpsdeckProcess } from '../../helpers/opsdeckProcess.js';
import { writeServeConfig } from '../../helpers/serveConfig.js';

export interface ClusterNode {
  /** Position in the test's list, for messages. */
  index: number;
  proc: OpsdeckProcess;
  url: string;
  port: number;
  pid: number;
  /** The node's id as the catalog and `$cluster` show it. */
  nodeId: string;
  alive: boolean;
}

export interface Cluster {
  nodes: ClusterNode[];
  live(): ClusterNode[];
  /** SIGKILL one node (no goodbye: its lease and heartbeat expire on their own). */
  kill(node: ClusterNode): Promise<void>;
  /** SIGTERM every live node; removes the configuration file. */
  stop(): Promise<void>;
}

/** How long one node may take to print its ready line: several start at once on two loaded cores. */
export const NODE_START_MS = 60_000;

/** A live node for a started `opsdeck serve` process, `index`-th in its test's list; no nodeId yet. */
export function clusterNode(proc: OpsdeckProcess, index: number): ClusterNode {
  const port = Number(new URL(proc.url).port);
  const pid = proc.child.pid ?? 0;
  return { index, proc, url: proc.url, port, pid, nodeId: '', alive: true };
}

/**
 * Starts `count` `opsdeck serve --config FILE --port 0` processes on one configuration; `token`
 * when the configuration has tokens.
 */
export async function startCluster(
  count: number,
  config: object,
  token?: string,
): Promise<Cluster> {
  const written = writeServeConfig(config);
  const started = await Promise.allSettled(
    Array.from({ length: count }, () =>
      startOpsdeck(['serve', '--config', written.file, '--port', '0'], {}, NODE_START_MS),
    ),
  );
  const procs = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    written.remove();
    throw failed.reason;
  }
  const nodes = procs.map((proc, index) => clusterNode(proc, index));
  try {
    for (const node of nodes) node.nodeId = await nodeIdOf(node, token);
  } catch (error) {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    written.remove();
    throw error;
  }
  return {
    nodes,
    live: () => nodes.filter((n) => n.alive),
    async kill(node) {
      node.alive = false;
      await node.proc.stop('SIGKILL');
    },
    async stop() {
      await Promise.all(
        nodes.map(async (n) => {
          const wasAlive = n.alive;
          n.alive = false;
          const code = await n.proc.stop('SIGTERM');
          if (wasAlive && code !== 0)
            console.warn(`node ${n.index} exited with ${code}: ${n.proc.stderr()}`);
        }),
      );
      written.remove();
    },
  };
}

/** A node's nodeId (from the catalog of a direct connection). */
export async function nodeIdOf(node: ClusterNode, token?: string): Promise<string> {
  const socket = await connect(node.url, token !== undefined ? { token } : {});
  try {
    const ack = await request<CatalogAck>(socket, 'catalog');
    if (!ack.ok) throw new Error(ack.error.message);
    return ack.server.nodeId;
  } finally {
    socket.close();
  }
}

/** `opsdeck_is_leader` of each node, scraped in parallel (undefined when it does not answer). */
export async function leaderFlags(nodes: ClusterNode[]): Promise<(number | undefined)[]> {
  return Promise.all(
    nodes.map(async (n) => {
      try {
        return metricValue(await scrape(n.url), 'opsdeck_is_leader');
      } catch {
        return undefined;
      }
    }),
  );
}

/** The one node reporting `opsdeck_is_leader 1`, waiting up to `timeoutMs` for there to be one. */
export async function waitForLeader(nodes: ClusterNode[], timeoutMs = 10_000) {
  const leaders = await waitFor(
    'a leader',
    async () => {
      const flags = await leaderFlags(nodes);
      const found = nodes.filter((_, i) => flags[i] === 1);
      return found.length > 0 && found;
    },
    timeoutMs,
    50,
  );
  if (leaders.length > 1)
    throw new Error(`several leaders: nodes ${leaders.map((n) => n.index).join(', ')}`);
  return leaders[0]!;
}

/** Section queries run by each node (sum over sections of opsdeck_section_queries_total). */
export async function sectionQueries(nodes: ClusterNode[]): Promise<number[]> {
  return Promise.all(
    nodes.map(async (n) => metricSum(await scrape(n.url), 'opsdeck_section_queries_total')),
  );
}

/**
 * Samples `opsdeck_is_leader` on every node every `everyMs` (one parallel round at a time) until
 * stopped; records each round, so a test can assert that never two nodes said 1 together.
 */
export function sampleLeaders(nodes: ClusterNode[], everyMs = 100) {
  const rounds: { at: number; flags: (number | undefined)[] }[] = [];
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      const at = Date.now();
      rounds.push({ at, flags: await leaderFlags(nodes) });
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - at))));
    }
  })();
  return {
    rounds,
    /** Rounds in which more than one node reported 1. */
    overlaps: () => rounds.filter((r) => r.flags.filter((f) => f === 1).length > 1),
    async stop() {
      state.running = false;
      await loop;
    },
  };
}
