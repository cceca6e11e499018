import { createHash } from 'node:crypto';
import { parseMysqlUrl } from './mysqlUrl.js';

/** Server ids Opsdeck picks from: high, where hand-numbered replicas (1, 2, 101, ...) are not. */
const FIRST_ID = 0x7000_0000;
const ID_RANGE = 0x0fff_ffff;

/**
 * The server id the binlog reader announces to the primary: derived from `scope` (the cluster
 * name; for a server alone, its host name and port) and the database (host, port, schema), so it
 * is the same on every node of a cluster and across restarts.
 *
 * Why deterministic and shared: only the leader reads the binlog, and when a new leader connects
 * with the id of a dead one, the server drops the dead one's dump thread (a half-open connection
 * of a killed node would otherwise linger until TCP gives up). Two Opsdeck clusters (different
 * `cluster.name`), or two servers alone, on one database get different ids, so they never kick
 * each other off; the high range keeps clear of the ids people give real replicas.
 */
export function binlogServerId(scope: string, url: string): number {
  const target = parseMysqlUrl(url);
  const key = `opsdeck:${scope}:${target.host}:${target.port}/${target.database ?? ''}`;
  const digest = createHash('sha256').update(key).digest();
  return FIRST_ID + (digest.readUInt32BE(0) % ID_RANGE);
}
