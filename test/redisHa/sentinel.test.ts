/**
 * Losing the Redis primary behind Sentinel (1 primary, 1 replica, 3 sentinels from the machine's
 * redis-server, 3 `opsdeck serve` nodes configured with `cluster.sentinels`, 2 clients each):
 * kill -9 the primary and the nodes follow the promoted replica by themselves (ioredis asks the
 * sentinels), one leader again within 5 s of the promotion, no client sees a version go back,
 * changes committed during and after the failover reach every client. Then fencing: a lease
 * written only to the primary (never replicated) before it dies does not survive it, and its
 * holder's publish on the promoted primary is refused.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clusterKeys } from '../../server/cluster/clusterKeys.js';
import { RedisSnapshotStore } from '../../server/cluster/RedisSnapshotStore.js';
import { waitFor } from '../helpers/client.js';
import { clusterConfig, insertEvent } from '../cluster/helpers/fixture.js';
import { runOpsdeck } from '../helpers/opsdeckProcess.js';
import { writeServeConfig } from '../helpers/serveConfig.js';
import { allHaveEvent } from '../cluster/helpers/liveClient.js';
import { sampleLeaders } from '../cluster/helpers/nodes.js';
import { describeHa } from './describeHa.js';
import { startSentinelSet, type SentinelSet } from '../../testkit/redisSentinel.js';
import { DELIVERY_MS, HaCluster, LEADER_AFTER_PROMOTION_MS } from './haCluster.js';

const world = new HaCluster(
  { nodes: 3, clientsPerNode: 2 },
  () => startSentinelSet({ downAfterMs: 1000, failoverTimeoutMs: 5000 }),
  (set) => ({ sentinels: set.addresses, sentinelName: set.name }),
);

/** Waits until the sentinels name a primary other than `oldPort`; resolves with its port. */
function promotion(set: SentinelSet, oldPort: number): Promise<number> {
  return waitFor(
    'the sentinels to promote the replica',
    async () => {
      const port = await set.primaryPort();
      return port !== undefined && port !== oldPort && port;
    },
    60_000,
    50,
  );
}

await describeHa(
  'Redis Sentinel: losing the primary',
  { services: ['postgres'], programs: [] },
  () => {
    beforeAll(async () => {
      await world.startWarm('warm-up event everywhere');
    });

    afterAll(async () => {
      await world.stop();
    });

    it('check names the primary the sentinels point at and runs the scripts on it', async () => {
      const port = await world.redis.primaryPort();
      const written = writeServeConfig({
        ...clusterConfig(world.db, 'unused', world.name),
        cluster: {
          sentinels: world.redis.addresses,
          sentinelName: world.redis.name,
          name: world.name,
        },
      });
      try {
        const { code, stdout } = await runOpsdeck(['check', '--config', written.file]);
        expect(stdout).toContain(
          `redis: sentinel "${world.redis.name}" via ${world.redis.addresses.join(', ')}`,
        );
        expect(stdout).toContain(
          `ok    primary 127.0.0.1:${port} (named by the sentinels), role master`,
        );
        expect(stdout).toContain('ok    lease script');
        expect(stdout).toContain('ok    snapshot script');
        expect(code).toBe(0);
        // A name the sentinels do not monitor: one FAIL line naming the setting, and serve refuses.
        const wrong = writeServeConfig({
          ...clusterConfig(world.db, 'unused', world.name),
          cluster: { sentinels: world.redis.addresses, sentinelName: 'nope', name: world.name },
        });
        try {
          const checked = await runOpsdeck(['check', '--config', wrong.file]);
          expect(checked.stdout).toContain(
            'FAIL  the sentinels monitor no primary named "nope": check cluster.sentinelName',
          );
          expect(checked.code).toBe(1);
          const served = await runOpsdeck(['serve', '--config', wrong.file, '--port', '0']);
          expect(served.stderr).toContain('check cluster.sentinelName');
          expect(served.stdout).not.toContain('listening on');
          expect(served.code).toBe(1);
        } finally {
          wrong.remove();
        }
      } finally {
        written.remove();
      }
    });

    it('kill -9 the primary: the nodes follow the promoted replica, one leader again, nothing lost or backwards', async () => {
      const oldPort = await world.redis.primaryPort();
      if (oldPort === undefined) throw new Error('no primary');
      const sampler = sampleLeaders(world.cluster.nodes, 100);

      const killedAt = Date.now();
      await world.redis.node(oldPort).kill();
      // Committed while Redis has no primary: must reach everyone once there is one again.
      const during = await insertEvent(world.db, 'while Redis fails over');
      const newPort = await promotion(world.redis, oldPort);
      const promotedAt = Date.now();
      const promoted = world.redis.node(newPort).connect();
      try {
        await world.expectRecovered(
          'sentinel failover',
          promoted,
          { killedAt, promotedAt },
          during,
        );
      } finally {
        promoted.disconnect();
        await sampler.stop();
      }
      world.expectOneLeaderInOrder(sampler);
    });

    it('fencing: a lease written to the old primary but never replicated yields no second publisher', async () => {
      // The dead primary comes back as the replica of the promoted one.
      const deadPort = world.redis.nodes.find((n) => !n.alive)?.port;
      if (deadPort === undefined) throw new Error('the first test left no dead node');
      const replica = await world.redis.restartAsReplica(deadPort);
      const primaryPort = await world.redis.primaryPort();
      if (primaryPort === undefined) throw new Error('no primary');
      const keys = clusterKeys(world.name);
      const primary = world.redis.node(primaryPort).connect();
      const cut = replica.connect();
      const sampler = sampleLeaders(world.cluster.nodes, 100);
      try {
        await world.leaderOnPrimary(primary, DELIVERY_MS);
        // Replication stops: the replica cannot authenticate to its primary any more.
        await cut.config('SET', 'masterauth', 'not-the-password');
        await primary.client('KILL', 'TYPE', 'replica');
        await waitFor(
          'the replica to lose its primary',
          async () => /master_link_status:down/.test(await cut.info('replication')),
          DELIVERY_MS,
        );
        // An intruder wins the lease on the primary alone: epoch + 1, as the lease script does.
        const epoch = Number(await primary.get(keys.epoch));
        const intruder = `intruder:${epoch + 1}`;
        await primary.multi().incr(keys.epoch).set(keys.lease, intruder, 'PX', 60_000).exec();
        // The primary dies before it could replicate that.
        await world.redis.node(primaryPort).kill();
        const newPort = await promotion(world.redis, primaryPort);
        expect(newPort).toBe(replica.port);
        await cut.config('SET', 'masterauth', '');

        // The promoted primary never saw the intruder's lease; the cluster leads
        // with a lease of its own (the old holder's, still valid there, or a new one).
        expect(await cut.get(keys.lease)).not.toBe(intruder);
        const token = await world.leaderOnPrimary(cut, LEADER_AFTER_PROMOTION_MS + DELIVERY_MS);
        expect(token).not.toBe(intruder);

        // The intruder, still sure of its lease, publishes through the promoted primary: fenced.
        const store = new RedisSnapshotStore(cut, keys, () => intruder);
        const result = await store.publish({
          section: 'events',
          result: { rows: [{ n: -1, last_id: -1 }], columns: [], truncated: false },
          hash: 'forged',
          changedAt: Date.now(),
          queriedAt: Date.now(),
        });
        expect(result.kind).toBe('fenced');

        // The cluster's own leader still publishes, and every client gets it in order.
        const after = await insertEvent(world.db, 'after the fenced failover');
        await waitFor(
          'the change after the second failover, on every client',
          () => allHaveEvent(world.clients, after),
          DELIVERY_MS,
        );
      } finally {
        primary.disconnect();
        cut.disconnect();
        await sampler.stop();
      }
      expect(sampler.overlaps()).toEqual([]);
      for (const client of world.clients) {
        expect(client.monotonicityViolations()).toEqual([]);
        expect(client.latest('events')?.rows[0]?.n).not.toBe(-1);
      }
    });
  },
);
