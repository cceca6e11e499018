/**
 * A Redis Cluster over TLS (clients, cluster bus and replication: tls-cluster, tls-replication,
 * an openssl CA): `cluster.nodes` + `cluster.tls`. The right CA: `check` finds 3 primaries and 3
 * replicas and runs the scripts, `serve` leads. A wrong CA: one FAIL line naming cluster.tls.ca,
 * and `serve` exits 1 before listening.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisCluster, type RedisClusterSet } from '../../testkit/redisCluster.js';
import { makeTestPki } from '../../testkit/redisTls.js';
import { runOpsdeck } from '../helpers/opsdeckProcess.js';
import { ClusterConfigDir } from './clusterConfigDir.js';
import { describeHa } from './describeHa.js';
import { expectServeLeads, expectWrongCaRefused } from './tlsExpectations.js';

let dir: ClusterConfigDir;
let set: RedisClusterSet;

function config(name: string, tls: string): string {
  return dir.write(name, [
    `nodes: [${set.addresses.join(', ')}]`,
    `name: tls-cluster-${name}`,
    `tls: ${tls}`,
  ]);
}

await describeHa(
  'Redis Cluster over TLS',
  { services: [], programs: ['redis-cli', 'openssl'] },
  () => {
    beforeAll(async () => {
      dir = ClusterConfigDir.create('opsdeck-cluster-tls-');
      const pki = makeTestPki(dir.path);
      // No failover here: a long node timeout, so a loaded machine's slow bus never flags a node.
      set = await startRedisCluster({ tls: pki, nodeTimeoutMs: 15_000 });
    });

    afterAll(async () => {
      await set.stop();
      dir.remove();
    });

    it('check with the right CA finds the cluster and runs the scripts; serve leads', async () => {
      const file = config('good', '{ ca: ca.crt }');
      const { code, stdout } = await runOpsdeck(['check', '--config', file]);
      expect(stdout).toContain(' with TLS');
      expect(stdout).toContain('ok    Redis Cluster: 3 primaries, 3 replicas, cluster_state ok');
      expect(stdout).toContain('ok    snapshot script');
      expect(code).toBe(0);
      await expectServeLeads(file, 'the node to lead on the TLS cluster');
    });

    it('check and serve with a wrong CA: one line naming cluster.tls.ca, exit 1', async () => {
      await expectWrongCaRefused(config('wrong', '{ ca: other-ca.crt }'), 'cluster');
    });
  },
);
