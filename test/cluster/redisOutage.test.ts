/**
 * Redis outages under a 3-node cluster behind a real nginx, on a private Redis the test may pause
 * and kill (never the machine's shared one): nodes keep serving their own clients from memory,
 * /readyz reports the degraded cluster, the catalog still answers, and once Redis is back
 * everything resumes without restarts. Leadership is sampled on every node every 100 ms: never two
 * leaders at once, and no client ever receives a version twice or a version going back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CatalogAck } from '../../common/protocol.js';
import { request, waitFor } from '../helpers/client.js';
import { ClusterFixture } from './helpers/clusterFixture.js';
import { insertEvent, SECTION_IDS } from './helpers/fixture.js';
import { allHaveEvent, LiveClient } from './helpers/liveClient.js';
import { leaderFlags, sampleLeaders, waitForLeader, type ClusterNode } from './helpers/nodes.js';
import { describeCluster } from './helpers/requirements.js';

const CLIENTS = 6;
/** The leader lease's duration (LeaderLease's default). */
const LEASE_MS = 3000;

const fixture = new ClusterFixture({ nodes: 3, nginx: true, privateRedis: true });
let sampler: ReturnType<typeof sampleLeaders> | undefined;
const clients: LiveClient[] = [];

async function readyz(node: ClusterNode): Promise<{ status: number; reason?: string }> {
  const res = await fetch(`${node.url}/readyz`);
  const body = (await res.json()) as { reason?: string };
  return { status: res.status, ...(body.reason ? { reason: body.reason } : {}) };
}

/** Waits until every node's /readyz answers `status`; returns the answers. */
async function allReady(status: number, timeoutMs: number) {
  const nodes = fixture.cluster.nodes;
  return waitFor(
    `/readyz ${status} on every node`,
    async () => {
      const answers = await Promise.all(nodes.map(readyz));
      return answers.every((a) => a.status === status) && answers;
    },
    timeoutMs,
  );
}

/** What a node serves from memory while Redis is away: the catalog, over HTTP and Socket.IO. */
async function catalogAnswers(client: LiveClient): Promise<void> {
  for (const node of fixture.cluster.nodes) {
    const res = await fetch(`${node.url}/api/sections`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sections: { id: string }[] };
    expect(body.sections.map((s) => s.id)).toEqual([...SECTION_IDS, '$cluster']);
  }
  const ack = await request<CatalogAck>(client.socket, 'catalog');
  expect(ack.ok).toBe(true);
}

await describeCluster(
  'cluster through a Redis outage (3 nodes behind nginx, private Redis)',
  { services: ['postgres'], nginx: true, redisServer: true },
  () => {
    beforeAll(async () => {
      const { nginx, cluster } = await fixture.start();
      for (let i = 0; i < CLIENTS; i++)
        clients.push(await LiveClient.open(`client${i}`, nginx.url, SECTION_IDS));
      await waitFor('initial snapshots on every client', () =>
        clients.every((c) => SECTION_IDS.every((s) => c.latest(s))),
      );
      sampler = sampleLeaders(cluster.nodes, 100);
    });

    afterAll(async () => {
      await sampler?.stop();
      for (const c of clients) c.close();
      await fixture.stop(); // the private Redis goes away with all its keys
    });

    it('Redis paused (SIGSTOP): nodes keep serving, readyz degrades, all resumes on SIGCONT', async () => {
      const nodes = fixture.cluster.nodes;
      await waitForLeader(nodes);
      const before = clients.map((c) => c.updates.length);
      const pausedAt = Date.now();
      fixture.redis.pause();

      const degraded = await allReady(503, 6000);
      for (const answer of degraded) expect(answer.reason).toMatch(/redis/i);
      await catalogAnswers(clients[0]!);
      // A client that arrives during the outage gets every snapshot from the node's memory.
      const newcomer = await LiveClient.open('newcomer', fixture.nginx.url, SECTION_IDS);
      clients.push(newcomer);
      await waitFor('snapshots for the newcomer', () =>
        SECTION_IDS.every((s) => newcomer.latest(s)),
      );
      for (const s of SECTION_IDS)
        expect(newcomer.latest(s)?.version).toBe(clients[0]!.latest(s)?.version);

      // The leader cannot renew its lease: it steps down (0 leaders is fine meanwhile).
      const id = await insertEvent(fixture.db, 'during the pause');
      await waitFor(
        'the leader steps down',
        async () => {
          const flags = await leaderFlags(nodes);
          return flags.every((f) => f === 0);
        },
        6000,
      );
      const stepDownMs = Date.now() - pausedAt;
      // Longer than a lease: requests queued in the paused Redis are older than their validity.
      await waitFor('a pause longer than the lease', () =>
        Promise.resolve(Date.now() - pausedAt > LEASE_MS + 1000),
      );
      const pausedMs = Date.now() - pausedAt;

      fixture.redis.resume();
      const resumedAt = Date.now();
      await waitFor('the change made during the pause', () => allHaveEvent(clients, id), 10_000);
      const recoveredMs = Date.now() - resumedAt;
      await allReady(200, 5000);
      console.info(
        `Redis SIGSTOP for ${pausedMs} ms: leader stepped down ${stepDownMs} ms after the pause; ` +
          `the change made meanwhile reached every client ${recoveredMs} ms after SIGCONT`,
      );
      clients.forEach((c, i) => {
        expect(c.disconnects).toBe(0);
        if (c !== newcomer) expect(c.updates.length).toBeGreaterThan(before[i]!);
      });
    });

    it('Redis killed and restarted empty: nodes keep serving, then resume without restarts', async () => {
      const nodes = fixture.cluster.nodes;
      await waitForLeader(nodes);
      const statusesBefore = clients.map((c) => c.serverStatuses.length);
      await fixture.redis.kill();
      const degraded = await allReady(503, 5000);
      for (const answer of degraded) expect(answer.reason).toMatch(/redis/i);
      // The console is told too (server-status), once per change of state.
      await waitFor('every client told the cluster is degraded', () =>
        clients.every((c) => c.serverStatuses.at(-1)?.degraded === true),
      );
      await catalogAnswers(clients[0]!);
      const id = await insertEvent(fixture.db, 'while Redis is down');
      // Connections are refused: the leader cannot renew and steps down when its lease runs out.
      // (Restarting an empty Redis at once is covered by regressions.test.ts.)
      await waitFor(
        'the leader steps down',
        async () => {
          const flags = await leaderFlags(nodes);
          return flags.every((f) => f === 0);
        },
        LEASE_MS + 2000,
      );

      await fixture.redis.restart();
      const restartedAt = Date.now();
      await waitFor(
        'the change made while Redis was down',
        () => allHaveEvent(clients, id),
        10_000,
      );
      const recoveredMs = Date.now() - restartedAt;
      await allReady(200, 5000);
      await waitFor('every client told the cluster is whole again', () =>
        clients.every((c) => c.serverStatuses.at(-1)?.degraded === false),
      );
      clients.forEach((c, i) =>
        expect(c.serverStatuses.slice(statusesBefore[i]).map((s) => s.degraded)).toEqual([
          true,
          false,
        ]),
      );
      const next = await insertEvent(fixture.db, 'after the restart');
      await waitFor('a new change after the restart', () => allHaveEvent(clients, next));
      console.info(
        `Redis restart: the change made while it was down arrived ${recoveredMs} ms later`,
      );
      for (const c of clients) expect(c.disconnects).toBe(0);
    });

    it('never had two leaders at once, never sent a version twice or going back', async () => {
      await sampler!.stop();
      const rounds = sampler!.rounds;
      // One round at least every ~200 ms over the whole test (each round scrapes 3 nodes).
      expect(rounds.length).toBeGreaterThan((rounds.at(-1)!.at - rounds[0]!.at) / 200);
      const leaderless = rounds.filter((r) => !r.flags.includes(1)).length;
      console.info(`leader samples: ${rounds.length} rounds, ${leaderless} with no leader`);
      expect(sampler!.overlaps()).toEqual([]);
      for (const c of clients) expect(c.monotonicityViolations()).toEqual([]);
      const latest = clients[0]!.latest('events')!.version;
      for (const c of clients) expect(c.latest('events')?.version).toBe(latest);
    });
  },
);
