/**
 * A Redis Cluster over TLS (clients, cluster bus and replication: tls-cluster, tls-replication,
 * an openssl CA): `cluster.nodes` + `cluster.tls`. The right CA: `check` finds 3 primaries and 3
 * replicas and runs the scripts, `serve` leads. A wrong CA: one FAIL line naming cluster.tls.ca,
 * and `serve` exits 1 before listening.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisCluster, type RedisClusterSet } from '../../testkit/redisCluster.js';
import { makeTestPki } from '../../testkit/redisTls.js';
import {
  createItemsDatabase,
  lines,
  sqliteConfig,
  tempDir,
  type TempDir,
} from '../helpers/cliFixtures.js';
import { waitFor } from '../helpers/client.js';
import { metricValue, scrape } from '../helpers/metrics.js';
import { runOpsdeck, startOpsdeck } from '../helpers/opsdeckProcess.js';
import { describeHa } from './describeHa.js';

let dir: TempDir;
let set: RedisClusterSet;

function config(name: string, tls: string): string {
  const cluster = [
    `  nodes: [${set.addresses.join(', ')}]`,
    `  name: tls-cluster-${name}`,
    `  tls: ${tls}`,
  ].join('\n');
  return dir.write(
    `${name}.yaml`,
    sqliteConfig(`sqlite:${dir.file('items.db')}`, `cluster:\n${cluster}\n`),
  );
}

await describeHa(
  'Redis Cluster over TLS',
  { services: [], programs: ['redis-cli', 'openssl'] },
  () => {
    beforeAll(async () => {
      dir = tempDir('opsdeck-cluster-tls-');
      const pki = makeTestPki(dir.path);
      createItemsDatabase(dir.file('items.db'));
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
      const server = await startOpsdeck(['serve', '--config', file, '--port', '0'], {}, 60_000);
      try {
        await waitFor(
          'the node to lead on the TLS cluster',
          async () => metricValue(await scrape(server.url), 'opsdeck_is_leader') === 1,
          30_000,
          100,
        );
      } finally {
        expect(await server.stop('SIGTERM')).toBe(0);
      }
    });

    it('check and serve with a wrong CA: one line naming cluster.tls.ca, exit 1', async () => {
      const file = config('wrong', '{ ca: other-ca.crt }');
      const checked = await runOpsdeck(['check', '--config', file]);
      expect(lines(checked.stdout).filter((l) => l.includes('FAIL'))).toEqual([
        expect.stringMatching(
          /FAIL {2}TLS: Redis's certificate is not trusted .*; check cluster\.tls\.ca \(other-ca\.crt\)$/,
        ),
      ]);
      expect(checked.code).toBe(1);
      const served = await runOpsdeck(['serve', '--config', file, '--port', '0']);
      expect(served.stdout).not.toContain('listening on');
      expect(served.stderr).toMatch(
        /^error: redis: cluster .*check cluster\.tls\.ca \(other-ca\.crt\)$/m,
      );
      expect(served.code).toBe(1);
    });
  },
);
