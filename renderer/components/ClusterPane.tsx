import type { ReactNode } from 'react';
import { useNow } from '../hooks/useNow.js';
import { useStore } from '../hooks/useStore.js';
import type { PushClient } from '../live/PushClient.js';
import type { ClusterNode, ClusterPoint } from '../live/state.js';
import { formatBytes, formatDuration, formatNumber, parseTime } from '../format/format.js';
import { NodeClients } from './cluster/NodeClients.js';
import { Sparkline } from './Sparkline.js';

/**
 * What the server's figure is (server/sections/NodeStats.ts): the p99 of the event loop's delay
 * since the node's previous sample, the measuring timer's own 20 ms period taken off.
 */
const LOOP_LAG_TITLE =
  "p99 of the event loop delay since the node's previous sample (1–2 s: 50 to 100 ticks of a 20 ms timer, so a single stall shows in full); an idle node reads about 0 ms";

/** A rate per second; "—" until one has been measured (live/clusterRates). */
function rate(value: number | undefined): string {
  if (value === undefined) return '—';
  return value >= 10 ? formatNumber(Math.round(value)) : formatNumber(value, 1);
}

function Metric({
  label,
  value,
  points,
  pick,
  tone,
  title,
}: {
  label: string;
  value: string;
  points?: readonly ClusterPoint[];
  pick?: (p: ClusterPoint) => number;
  tone?: string;
  /** What the figure is, on hover. */
  title?: string;
}) {
  return (
    <div className={`metric${tone ? ` metric--${tone}` : ''}`} title={title}>
      <span className="metric-label">{label}</span>
      <span className="metric-value">{value}</span>
      {points && pick && <Sparkline values={points.map(pick)} width={88} height={22} />}
    </div>
  );
}

function NodeRow({
  node,
  points,
  now,
  children,
}: {
  node: ClusterNode;
  points: readonly ClusterPoint[];
  now: number;
  /** Below the figures, the full width of the row (the clients list). */
  children?: ReactNode;
}) {
  const last = points.at(-1);
  const started = node.startedAt ? parseTime(node.startedAt) : NaN;
  const lagTone =
    node.eventLoopLagMs >= 100 ? 'danger' : node.eventLoopLagMs >= 40 ? 'warn' : undefined;
  return (
    <li
      className="node"
      data-testid="cluster-node"
      data-leader={node.leader ? 'true' : 'false'}
      data-node-id={node.nodeId}
    >
      <div className="node-id">
        <span className="node-host">
          {node.host || 'unknown host'}
          <span className="node-pid">:{node.pid}</span>
        </span>
        <span className="node-sub">
          {node.leader ? (
            <span
              className="badge badge--leader"
              title="Holds the lease: watches the database and runs the queries"
            >
              leader
            </span>
          ) : (
            <span className="badge badge--follower" title="Fans updates out to its clients">
              follower
            </span>
          )}
          <span className="node-nodeid" title={node.nodeId}>
            {node.nodeId.slice(0, 8)}
          </span>
          {!Number.isNaN(started) && (
            <span className="node-uptime">up {formatDuration(now - started)}</span>
          )}
        </span>
      </div>
      <Metric
        label="Clients"
        value={formatNumber(node.clients)}
        points={points}
        pick={(p) => p.clients}
      />
      <Metric label="Subscriptions" value={formatNumber(node.subscriptions)} />
      <Metric
        label="Loop lag p99"
        title={LOOP_LAG_TITLE}
        value={`${formatNumber(node.eventLoopLagMs, 1)} ms`}
        points={points}
        pick={(p) => p.eventLoopLagMs}
        {...(lagTone ? { tone: lagTone } : {})}
      />
      <Metric
        label="Heap / RSS"
        value={`${formatBytes(node.heapUsedBytes)} / ${formatBytes(node.rssBytes)}`}
        points={points}
        pick={(p) => p.heapUsedBytes}
      />
      <Metric
        label="Queries/s"
        value={rate(last?.queriesPerSec)}
        points={points}
        // NaN (not measured yet) is left out of the sparkline.
        pick={(p) => p.queriesPerSec ?? NaN}
      />
      <Metric
        label="Updates/s"
        value={rate(last?.updatesPerSec)}
        points={points}
        pick={(p) => p.updatesPerSec ?? NaN}
      />
      {children}
    </li>
  );
}

/** The server processes behind this console, from `$cluster`: one row per node with trends. */
export function ClusterPane({ client }: { client: PushClient }) {
  const cluster = useStore(client.cluster);
  const phase = useStore(client.connection).phase;
  const stale = phase !== 'connected' && cluster.nodes.length > 0;
  const now = useNow(5000);
  const nodes = [...cluster.nodes].sort(
    (a, b) => Number(b.leader) - Number(a.leader) || a.nodeId.localeCompare(b.nodeId),
  );
  const totalClients = nodes.reduce((sum, n) => sum + n.clients, 0);
  // Before any node has reported there is nothing to say unless a connection is up.
  if (nodes.length === 0 && phase !== 'connected') return null;

  return (
    <section
      className={`card cluster${stale ? ' is-stale' : ''}`}
      data-testid="cluster-pane"
      data-stale={stale ? 'true' : 'false'}
      aria-labelledby="cluster-title"
    >
      <div className="card-header">
        <h2 className="card-title" id="cluster-title">
          Cluster
        </h2>
        <div className="card-meta">
          {stale && <span className="chip chip--warn card-stale">stale — disconnected</span>}
          {nodes.length > 0 ? (
            <span>
              {formatNumber(nodes.length)} {nodes.length === 1 ? 'node' : 'nodes'} ·{' '}
              {formatNumber(totalClients)} {totalClients === 1 ? 'client' : 'clients'}
            </span>
          ) : (
            <span>waiting for node status</span>
          )}
        </div>
      </div>
      {nodes.length > 0 ? (
        <ul className="nodes card-body">
          {nodes.map((node) => (
            <NodeRow
              key={node.nodeId}
              node={node}
              points={cluster.history[node.nodeId] ?? []}
              now={now}
            >
              <NodeClients nodeId={node.nodeId} client={client} />
            </NodeRow>
          ))}
        </ul>
      ) : (
        <p className="empty-note">No node has reported yet.</p>
      )}
    </section>
  );
}
