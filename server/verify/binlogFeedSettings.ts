import { hostname } from 'node:os';
import type { OpsdeckConfig } from '../config/configSchema.js';
import { binlogServerId } from '../sources/mysqlBinlogServerId.js';

/** The safety re-check period of the change feeds, when the file sets none. */
export const DEFAULT_FEED_RECHECK_MS = 60_000;

export interface BinlogFeedSettings {
  url: string;
  /** The server id the reader announces (see binlogServerId). */
  serverId: number;
  recheckMs: number;
}

/**
 * Binlog mode's settings from the file. The server id is scoped by `cluster.name` in a cluster
 * (every node the same: only the leader reads) and by host name and port for a server alone.
 */
export function binlogFeedSettings(config: OpsdeckConfig): BinlogFeedSettings {
  const scope = config.cluster
    ? `cluster:${config.cluster.name}`
    : `node:${hostname()}:${config.listen.port}`;
  return {
    url: config.database.url,
    serverId: binlogServerId(scope, config.database.url),
    recheckMs: config.watch.intervalMs ?? DEFAULT_FEED_RECHECK_MS,
  };
}
