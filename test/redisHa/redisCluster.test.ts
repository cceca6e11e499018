/**
 * Opsdeck on a Redis Cluster (3 primaries, 3 replicas, from the machine's redis-server with
 * `--cluster-enabled yes` and `redis-cli --cluster create`), 2 `opsdeck serve` nodes configured
 * with `cluster.nodes`, 2 clients each; fan-out through the adapter's sharded pub/sub. `check`
 * finds the cluster and runs the lease and snapshot scripts in the cluster's one slot. Then kill -9
 * the primary that owns that slot: its replica is promoted, one node leads again within 5 s of the
 * promotion, no client sees a version go back, changes during and after reach every client.
 */
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import { clusterKeys } from '../../server/cluster/clusterKeys.js';
import { startRedisCluster } from '../../testkit/redisCluster.js';
import { waitFor } from '../helpers/client.js';
import { runOpsdeck } from '../helpers/opsdeckProcess.js';
import { writeServeConfig } from '../helpers/serveConfig.js';
import { clusterConfig, insertEvent } from '../cluster/helpers/fixture.js';
import { sampleLeaders } from '../cluster/helpers/nodes.js';
import { describeHa } from './describeHa.js';
import { DELIVERY_MS, HaCluster } from './haCluster.js';

const world = new HaCluster(
  { nodes: 2, clientsPerNode: 2 },
  // Short enough for a quick failover, long enough that a loaded machine's bus does not flap.
  () => startRedisCluster({ nodeTimeoutMs: 4000 }),
  (set) => ({ nodes: set.addresses }),
);

/** The fixture's configuration on the Redis Cluster (`cluster.nodes`), for `opsdeck check`. */
function writeCheckConfig(): ReturnType<typeof writeServeConfig> {
  return writeServeConfig({
    ...clusterConfig(world.db, 'unused', world.name),
    cluster: { nodes: world.redis.addresses, name: world.name },
  });
}

await describeHa(
  'Redis Cluster: sharded fan-out, losing a primary',
  { services: ['postgres'], programs: ['redis-cli'] },
  () => {
    beforeAll(async () => {
      await world.startWarm('warm-up event everywhere (sharded pub/sub)');
    });

    afterAll(async () => {
      await world.stop();
    });

    it('check finds the cluster and runs the lease and snapshot scripts in one slot', async () => {
      const written = writeCheckConfig();
      try {
        const { code, stdout } = await runOpsdeck(['check', '--config', written.file]);
        expect(stdout).toContain(`redis: cluster seeded by ${world.redis.addresses.join(', ')}`);
        expect(stdout).toMatch(/ok {4}Redis Cluster: 3 primaries, 3 replicas, cluster_state ok/);
        expect(stdout).toContain('ok    lease script');
        expect(stdout).toContain('ok    snapshot script');
        expect(code).toBe(0);
      } finally {
        written.remove();
      }
    });

    it("kill -9 the primary of the cluster's slot: its replica takes over, one leader again, nothing lost or backwards", async () => {
      onTestFailed(async () => console.error(await world.redis.diagnose()));
      const lease = clusterKeys(world.name).lease;
      const owner = await world.redis.primaryFor(lease);
      const sampler = sampleLeaders(world.cluster.nodes, 100);

      const killedAt = Date.now();
      await owner.kill();
      const during = await insertEvent(world.db, 'while the slot fails over');
      const promoted = await waitFor(
        'a replica promoted for the slot',
        async () => {
          const now = await world.redis.primaryFor(lease).catch(() => undefined);
          return now !== undefined && now !== owner && now;
        },
        60_000,
        50,
      );
      const promotedAt = Date.now();
      const redis = promoted.connect();
      try {
        await world.expectRecovered(
          'redis cluster failover',
          redis,
          { killedAt, promotedAt },
          during,
        );
      } finally {
        redis.disconnect();
        await sampler.stop();
      }
      world.expectOneLeaderInOrder(sampler);
      // check sees the cluster as it is now: the promoted replica serves, the dead node fails.
      const written = writeCheckConfig();
      try {
        // Asked of any node: gossip may take a moment to bring every view up to date.
        const { code, stdout } = await waitFor(
          'check to see the cluster after the failover',
          async () => {
            const run = await runOpsdeck(['check', '--config', written.file]);
            return run.stdout.includes('3 primaries, 2 replicas, 1 failing') && run;
          },
          DELIVERY_MS,
          500,
        );
        expect(stdout).toContain('ok    Redis Cluster: 3 primaries, 2 replicas, 1 failing');
        expect(stdout).toContain('ok    snapshot script');
        expect(code).toBe(0);
      } finally {
        written.remove();
      }
    }, 120_000);
  },
);
