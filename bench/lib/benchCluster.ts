import { randomBytes } from 'node:crypto';
import { deleteClusterKeys } from '../../testkit/clusterKeys.js';
import { startOpsdeck, type ServerProcess } from './proc.js';
import type { Scope } from './scope.js';
import { writeConfig } from './serve.js';

/** The shared Redis the benchmark's clusters use. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

export interface BenchCluster {
  /** The Redis key prefix `opsdeck:<name>:` (random); its keys are deleted with the scope. */
  name: string;
  nodes: ServerProcess[];
}

/**
 * `count` `opsdeck serve` nodes of one configuration (`config` without `cluster:`) on the shared
 * Redis, started one after the other, under a random cluster name.
 */
export async function startBenchCluster(
  scope: Scope,
  config: object,
  count: number,
): Promise<BenchCluster> {
  const name = `bench-${randomBytes(5).toString('hex')}`;
  scope.defer(`delete Redis keys opsdeck:{${name}}:*`, () => deleteClusterKeys(REDIS_URL, name));
  const file = writeConfig(scope, { ...config, cluster: { redis: REDIS_URL, name } });
  const nodes: ServerProcess[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push(
      await startOpsdeck(`node-${i}`, ['serve', '--config', file, '--port', '0'], { scope }),
    );
  }
  return { name, nodes };
}
