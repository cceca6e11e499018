import { ConfigError } from '../config/ConfigError.js';
import {
  describeTopology,
  redisTopology,
  RedisTlsFileError,
  type RedisTopology,
  type TopologySettings,
} from '../cluster/redisTopology.js';
import { probeRedisTopology } from '../cluster/redisTopologyProbe.js';

/** How long `serve` waits for Redis's first answer before it starts anyway (degraded). */
const PROBE_MS = 5000;

/**
 * `serve`'s Redis at start-up: the topology of the configuration (an unreadable cluster.tls file is
 * a ConfigError, exit 2), then one connection attempt. A problem no retry can fix (a certificate
 * the CA does not vouch for, wrong credentials) is one line on stderr and undefined: the caller
 * exits 1 instead of retrying forever. Redis merely down is an outage: the node starts degraded
 * and reconnects, as it would later.
 */
export async function checkRedisAtStart(
  settings: TopologySettings,
  baseDir: string,
): Promise<RedisTopology | undefined> {
  let topology: RedisTopology;
  try {
    topology = redisTopology(settings, baseDir);
  } catch (error) {
    if (error instanceof RedisTlsFileError) throw new ConfigError([error.message]);
    throw error;
  }
  const probe = await probeRedisTopology(topology, PROBE_MS);
  if (probe.ok) {
    probe.close();
    return topology;
  }
  if (!probe.permanent) return topology;
  process.stderr.write(`error: redis: ${describeTopology(topology)}: ${probe.problem}\n`);
  return undefined;
}
