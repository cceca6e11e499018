/**
 * Leader election without dead time (issue 15, part 6), on a private Redis the test restarts and
 * pauses, with real `opsdeck serve` nodes:
 * - a brand-new cluster elects its first leader at once: the lease is not parked, because no node
 *   has seen this cluster's epoch before (server/cluster/LeaderLease.ts);
 * - Redis restarted empty still parks the lease for one ttl (every node saw the epoch), and never
 *   two nodes say they lead at once;
 * - a lease reply that arrives after its ttl (Redis paused longer than the lease) is renewed at
 *   once instead of leaving the cluster leaderless until the key expires in Redis.
 *
 * Timing: the election itself takes a round trip to Redis; the target is 1 s from the
 * first node listening. On a loaded two-core machine the test allows 2.5 s, and holds the cause
 * instead: no node logs `lease parked` (the one path that waits a whole ttl). The bench measures
 * the time itself.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clusterKeys } from '../../server/cluster/clusterKeys.js';
import type { TestDatabase } from '../helpers/services.js';
import { waitFor } from '../helpers/client.js';
import { startOpsdeck, type OpsdeckProcess } from '../helpers/opsdeckProcess.js';
import { writeServeConfig } from '../helpers/serveConfig.js';
import { clusterConfig, createFixtureDatabase, randomClusterName } from './helpers/fixture.js';
import {
  clusterNode,
  leaderFlags,
  NODE_START_MS,
  sampleLeaders,
  waitForLeader,
  type ClusterNode,
} from './helpers/nodes.js';
import { startPrivateRedis, type PrivateRedis } from './helpers/privateRedis.js';
import { describeCluster } from './helpers/requirements.js';

/** The leader lease's duration (LeaderLease's default). */
const LEASE_MS = 3000;
/** The 1 s, with room for a loaded machine (see above). */
const FIRST_LEADER_MS = 2500;
const PARKED = 'lease parked';
const LATE_REPLY = 'lease reply arrived after its ttl';

let db: TestDatabase | undefined;
let redis: PrivateRedis | undefined;
let config: ReturnType<typeof writeServeConfig> | undefined;
const name = randomClusterName();
const nodes: ClusterNode[] = [];

async function startNode(): Promise<{ node: ClusterNode; listeningAt: number }> {
  const proc: OpsdeckProcess = await startOpsdeck(
    ['serve', '--config', config!.file, '--port', '0'],
    {},
    NODE_START_MS,
  );
  const listeningAt = Date.now();
  const node = clusterNode(proc, nodes.length);
  nodes.push(node);
  return { node, listeningAt };
}

/** Nodes whose log says `line` (warn level and above reach stderr). */
const logged = (line: string) => nodes.filter((n) => n.proc.stderr().includes(line));

await describeCluster(
  'leader election without dead time (private Redis)',
  { services: ['postgres'], redisServer: true },
  () => {
    beforeAll(async () => {
      db = await createFixtureDatabase();
      redis = await startPrivateRedis();
      config = writeServeConfig(clusterConfig(db, redis.url, name));
    });

    afterAll(async () => {
      await Promise.all(nodes.map((n) => n.proc.stop('SIGTERM')));
      config?.remove();
      await redis?.stop();
      await db?.drop();
    });

    it('a brand-new cluster has its leader right after its first node listens, without parking', async () => {
      const { node, listeningAt } = await startNode();
      await waitFor(
        'the first node to lead',
        async () => (await leaderFlags([node]))[0] === 1,
        30_000,
        25,
      );
      const tookMs = Date.now() - listeningAt;
      console.info(`first leader ${tookMs} ms after the first node listened`);
      expect(logged(PARKED).map((n) => n.index)).toEqual([]);
      expect(tookMs).toBeLessThan(FIRST_LEADER_MS);

      // Two more join: they find the lease held, and the first node keeps it.
      await Promise.all([startNode(), startNode()]);
      expect(await waitForLeader(nodes, 10_000)).toBe(node);
      expect(logged(PARKED).map((n) => n.index)).toEqual([]);
    });

    it('Redis restarted empty: the lease is parked for one ttl, never two leaders', async () => {
      await waitForLeader(nodes, 10_000);
      const sampler = sampleLeaders(nodes, 100);
      const reader = new Redis(redis!.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      try {
        await redis!.kill();
        await redis!.restart();
        const restartedAt = Date.now();
        await reader.connect();
        // The first lease Redis grants after the restart (not the parked placeholder).
        const token = await waitFor(
          'a lease granted after the restart',
          async () => {
            const value = await reader.get(clusterKeys(name).lease);
            return value !== null && value !== 'parked' && value;
          },
          30_000,
          25,
        );
        const grantedMs = Date.now() - restartedAt;
        console.info(`lease ${token} granted ${grantedMs} ms after Redis restarted empty`);
        // The fencing path: every node had seen the epoch, so whoever asked first parked it,
        // and nobody could lead before the old leader's belief ran out.
        expect(logged(PARKED).length).toBeGreaterThan(0);
        expect(grantedMs).toBeGreaterThanOrEqual(LEASE_MS - 500);
        await waitForLeader(nodes, 10_000);
        // Sample a little longer: the old leader must have stepped down for good.
        await new Promise((r) => setTimeout(r, LEASE_MS));
        await waitForLeader(nodes, 10_000);
      } finally {
        reader.disconnect();
        await sampler.stop();
      }
      expect(sampler.overlaps()).toEqual([]);
    });

    it('a lease reply that arrives after its ttl is renewed at once, not left to expire', async () => {
      await waitForLeader(nodes, 10_000);
      const sampler = sampleLeaders(nodes, 100);
      try {
        // Longer than the lease: the leader's watchdog deposes it, and the acquire a follower
        // had in flight is answered only after SIGCONT, more than one ttl after it was sent.
        redis!.pause();
        await new Promise((r) => setTimeout(r, LEASE_MS + 1500));
        redis!.resume();
        const resumedAt = Date.now();
        await waitForLeader(nodes, 30_000);
        const tookMs = Date.now() - resumedAt;
        console.info(`leader ${tookMs} ms after Redis resumed`);
        await waitFor(
          'a node to log the late lease reply',
          () => logged(LATE_REPLY).length > 0,
          10_000,
        );
        // Without the renewal at once: the key granted by that reply expires one ttl after Redis
        // processed it, and a follower takes it up to a third of a ttl later.
        expect(tookMs).toBeLessThan(LEASE_MS - 500);
      } finally {
        await sampler.stop();
      }
      expect(sampler.overlaps()).toEqual([]);
    });
  },
);
