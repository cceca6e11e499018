/**
 * Failover in a 3-node cluster behind a real nginx: kill -9 the leader and another node takes over
 * within 5 s, with versions strictly increasing on every client and nobody left with stale data;
 * kill -9 a follower and its clients reconnect through nginx and resync with `have`, receiving
 * only the sections whose version differs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../helpers/client.js';
import { ClusterFixture } from './helpers/clusterFixture.js';
import { insertEvent, SECTION_IDS } from './helpers/fixture.js';
import { allHaveEvent, hasEvent, LiveClient } from './helpers/liveClient.js';
import { leaderFlags, sampleLeaders, waitForLeader, type ClusterNode } from './helpers/nodes.js';
import { describeCluster } from './helpers/requirements.js';

const CLIENTS = 6;
/** Reconnection delay of the clients: long enough that a change happens while they are away. */
const RECONNECT_MS = 1000;

const fixture = new ClusterFixture({ nodes: 3, nginx: true });
const clients: LiveClient[] = [];

const onNode = (node: ClusterNode) => clients.filter((c) => c.nodeId === node.nodeId);

/** The sections a client received during one session (from its subscribe to the next session). */
function resentSections(client: LiveClient, sessionIndex: number): string[] {
  const session = client.sessions[sessionIndex]!;
  const next = client.sessions[sessionIndex + 1]?.firstUpdate ?? client.updates.length;
  return client.updates.slice(session.firstUpdate, next).map((u) => u.section);
}

await describeCluster(
  'cluster failover (3 nodes behind nginx)',
  { services: ['postgres', 'redis'], nginx: true },
  () => {
    beforeAll(async () => {
      const { nginx, db } = await fixture.start();
      for (let i = 0; i < CLIENTS; i++) {
        clients.push(
          await LiveClient.open(`client${i}`, nginx.url, SECTION_IDS, {
            reconnectDelayMs: RECONNECT_MS,
          }),
        );
      }
      await waitFor('initial snapshots on every client', () =>
        clients.every((c) => SECTION_IDS.every((s) => c.latest(s))),
      );
      const first = await insertEvent(db, 'warm-up');
      await waitFor('warm-up event everywhere', () => allHaveEvent(clients, first));
    });

    afterAll(async () => {
      for (const c of clients) c.close();
      await fixture.stop();
    });

    it('leader kill -9: another node takes over within 5 s, versions keep increasing, nobody stale', async () => {
      const nodes = fixture.cluster.nodes;
      const leader = await waitForLeader(nodes);
      const survivors = nodes.filter((n) => n !== leader);
      const orphans = onNode(leader);
      expect(orphans.length).toBeGreaterThan(0);
      const sampler = sampleLeaders(survivors, 100);

      const killedAt = Date.now();
      await fixture.cluster.kill(leader);
      // A change made while there is no leader: the next one must pick it up.
      const during = await insertEvent(fixture.db, 'during failover');
      const newLeader = await waitForLeader(survivors, 8000);
      const takeoverMs = Date.now() - killedAt;
      await waitFor(
        'the change made during the failover',
        () => allHaveEvent(clients, during),
        8000,
      );
      const firstUpdateMs = Date.now() - killedAt;
      console.info(
        `leader failover: new leader (node ${newLeader.index}) after ${takeoverMs} ms, ` +
          `change made during the failover on every client after ${firstUpdateMs} ms`,
      );
      expect(takeoverMs).toBeLessThan(5000);

      // Updates continue after the failover, and every client ends with the latest version.
      const after = await insertEvent(fixture.db, 'after failover');
      await waitFor('the change after the failover', () => allHaveEvent(clients, after));
      await sampler.stop();
      expect(sampler.overlaps()).toEqual([]);
      const latest = clients[0]!.latest('events')!.version;
      for (const client of clients) {
        expect(client.monotonicityViolations()).toEqual([]);
        expect(client.latest('events')?.version).toBe(latest);
      }
      // The leader's clients came back through nginx to a survivor and resynced.
      for (const client of orphans) {
        expect(client.sessions).toHaveLength(2);
        expect(survivors.map((n) => n.nodeId)).toContain(client.nodeId);
        expect(resentSections(client, 1)).not.toContain('teams');
      }
      // Nobody else was disconnected.
      for (const client of clients.filter((c) => !orphans.includes(c)))
        expect(client.disconnects).toBe(0);
    });

    it('follower kill -9: its clients reconnect through nginx and get only what changed', async () => {
      const live = fixture.cluster.live();
      const leader = await waitForLeader(live);
      const follower = live.find((n) => n !== leader && onNode(n).length > 0);
      if (!follower) throw new Error('no follower with clients');
      const victims = onNode(follower);
      const others = clients.filter((c) => !victims.includes(c));
      const sessionsBefore = new Map(victims.map((c) => [c, c.sessions.length]));
      const disconnectsBefore = new Map(clients.map((c) => [c, c.disconnects]));

      const killedAt = Date.now();
      await fixture.cluster.kill(follower);
      await waitFor('the victims notice', () =>
        victims.every((c) => c.disconnects > disconnectsBefore.get(c)!),
      );
      // Changed while they are disconnected (they wait RECONNECT_MS before trying again).
      const id = await insertEvent(fixture.db, 'while away');
      await waitFor('the change on the other clients', () => allHaveEvent(others, id));
      const changedBy = Date.now() - killedAt;
      await waitFor('the victims resynced', () => victims.every((c) => hasEvent(c, id)), 8000);
      console.info(
        `follower kill: change visible elsewhere after ${changedBy} ms, ` +
          `victims resynced after ${Date.now() - killedAt} ms`,
      );

      const latest = (section: string) => others[0]!.latest(section)!.version;
      for (const client of victims) {
        const index = sessionsBefore.get(client)!;
        expect(client.sessions).toHaveLength(index + 1);
        const session = client.sessions[index]!;
        expect(session.nodeId).not.toBe(follower.nodeId);
        // It held older versions of events/recent and the current one of teams...
        expect(session.have.events).toBeLessThan(latest('events'));
        expect(session.have.recent).toBeLessThan(latest('recent'));
        expect(session.have.teams).toBe(latest('teams'));
        // ...and received exactly the two sections that differ, once each.
        expect(resentSections(client, index).sort()).toEqual(['events', 'recent']);
        expect(client.latest('events')?.version).toBe(latest('events'));
        expect(client.latest('recent')?.version).toBe(latest('recent'));
        expect(client.monotonicityViolations()).toEqual([]);
      }
      for (const client of others) {
        expect(client.disconnects).toBe(disconnectsBefore.get(client));
        expect(client.monotonicityViolations()).toEqual([]);
      }
      expect((await leaderFlags([leader]))[0]).toBe(1);
    });
  },
);
