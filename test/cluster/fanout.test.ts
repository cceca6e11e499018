/**
 * A 3-node cluster (`opsdeck serve`, notify mode on PostgreSQL, shared Redis) behind a real nginx:
 * every client gets each change exactly once whichever node serves it, the database sees the same
 * number of section queries as with a single node, and `$cluster` shows the same three nodes with
 * one leader in every node's view.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Row } from '../../common/protocol.js';
import { connect, recorder, request, waitFor, type TestSocket } from '../helpers/client.js';
import { ClusterFixture } from './helpers/clusterFixture.js';
import { insertEvent, SECTION_IDS } from './helpers/fixture.js';
import { allHaveEvent, LiveClient } from './helpers/liveClient.js';
import { leaderFlags, sectionQueries, type ClusterNode } from './helpers/nodes.js';
import { describeCluster } from './helpers/requirements.js';

const CLIENTS = 6;

// A 3-node cluster and, for comparison, a 1-node cluster on an identical database.
const three = new ClusterFixture({ nodes: 3, nginx: true });
const one = new ClusterFixture({ nodes: 1 });
const clients: LiveClient[] = [];
const direct: TestSocket[] = [];

await describeCluster(
  'cluster fan-out (3 nodes behind nginx)',
  { services: ['postgres', 'redis'], nginx: true },
  () => {
    beforeAll(async () => {
      await Promise.all([three.start(), one.start()]);
      const nginx = three.nginx;
      for (let i = 0; i < CLIENTS; i++)
        clients.push(await LiveClient.open(`client${i}`, nginx.url, SECTION_IDS));
      await waitFor('initial snapshots on every client', () =>
        clients.every((c) => SECTION_IDS.every((s) => c.latest(s))),
      );
    });

    afterAll(async () => {
      for (const c of clients) c.close();
      for (const s of direct) s.close();
      await Promise.all([three.stop(), one.stop()]);
    });

    it('delivers each change exactly once to every client, with the same versions on every node', async () => {
      // Round robin spread the clients over all three nodes.
      expect(new Set(clients.map((c) => c.nodeId)).size).toBe(3);
      const start = clients.map((c) => c.updates.length);
      const ids: number[] = [];
      // Spaced changes: each waits until every client has the previous one. The last insert is
      // a fence: a duplicate of an earlier change would arrive before it.
      for (let i = 0; i < 5; i++) {
        const id = await insertEvent(three.db, `change ${i}`);
        ids.push(id);
        await waitFor(`event ${id} on every client`, () => allHaveEvent(clients, id));
      }
      const versions = (client: LiveClient, index: number, section: string) =>
        client.updates
          .slice(start[index])
          .filter((u) => u.section === section)
          .map((u) => u.version);
      const reference = clients[0]!;
      for (const [index, client] of clients.entries()) {
        const events = client.updates.slice(start[index]).filter((u) => u.section === 'events');
        expect(events.map((u) => u.rows[0]?.last_id)).toEqual(ids);
        expect(versions(client, index, 'recent')).toHaveLength(ids.length);
        expect(versions(client, index, 'teams')).toEqual([]);
        expect(versions(client, index, 'events')).toEqual(versions(reference, 0, 'events'));
        expect(versions(client, index, 'recent')).toEqual(versions(reference, 0, 'recent'));
        expect(client.monotonicityViolations()).toEqual([]);
        expect(client.disconnects).toBe(0);
      }
    });

    it('runs as many section queries with 3 nodes as with 1, all on the leader', async () => {
      const nodes3 = three.cluster.nodes;
      const nodes1 = one.cluster.nodes;
      const watcher1 = await LiveClient.open('single', nodes1[0]!.url, SECTION_IDS);
      clients.push(watcher1);
      await waitFor('initial snapshots (1 node)', () =>
        SECTION_IDS.every((s) => watcher1.latest(s)),
      );
      const before3 = await sectionQueries(nodes3);
      const before1 = await sectionQueries(nodes1);

      // The same sequence of changes on both databases, spaced: 4 events, then a team.
      for (let i = 0; i < 4; i++) {
        const [id3, id1] = await Promise.all([
          insertEvent(three.db, `same ${i}`),
          insertEvent(one.db, `same ${i}`),
        ]);
        await waitFor(
          'the event on both clusters',
          () => allHaveEvent(clients.slice(0, CLIENTS), id3) && allHaveEvent([watcher1], id1),
        );
      }
      const teams = (c: LiveClient) => c.latest('teams')?.rows.length;
      await Promise.all(
        [three.db, one.db].map((db) => db.admin("INSERT INTO teams VALUES ('East')")),
      );
      await waitFor('the new team on both clusters', () =>
        [...clients.slice(0, CLIENTS), watcher1].every((c) => teams(c) === 3),
      );

      const after3 = await sectionQueries(nodes3);
      const after1 = await sectionQueries(nodes1);
      const delta3 = after3.map((q, i) => q - before3[i]!);
      const delta1 = after1[0]! - before1[0]!;
      const flags = await leaderFlags(nodes3);
      const leader = flags.indexOf(1);
      expect(flags.filter((f) => f === 1)).toHaveLength(1);
      // One query per affected section per change: 4 x (events, recent) + 1 x teams.
      expect(delta1).toBe(9);
      expect(delta3.reduce((a, b) => a + b, 0)).toBe(delta1);
      expect(delta3[leader]).toBe(delta1);
      // Followers never query for sections, not even at start.
      after3.forEach((q, i) => {
        if (i !== leader) expect(q, `node ${i}`).toBe(0);
      });
    });

    it('$cluster lists the 3 live nodes with exactly one leader in every node view', async () => {
      const nodes = three.cluster.nodes;
      const flags = await leaderFlags(nodes);
      const leaderPid = nodes[flags.indexOf(1)]!.pid;
      const pids = nodes.map((n) => n.pid).sort();
      const nodeIds = [...new Set(clients.slice(0, CLIENTS).map((c) => c.nodeId))].sort();
      const views = await Promise.all(
        nodes.map(async (node: ClusterNode) => {
          const socket = await connect(node.url);
          direct.push(socket);
          const seen = recorder(socket);
          await request(socket, 'subscribe', { sections: ['$cluster'] });
          // Rows are refreshed every 2 s; wait for one that has settled on every heartbeat.
          return waitFor(
            `$cluster on node ${node.index}`,
            () => {
              const rows: Row[] | undefined = seen.latest('$cluster')?.rows;
              if (!rows || rows.length !== 3) return false;
              if (rows.filter((r) => r.leader === true).length !== 1) return false;
              return rows;
            },
            8000,
          );
        }),
      );
      for (const rows of views) {
        expect(rows.map((r) => r.pid).sort()).toEqual(pids);
        expect(rows.map((r) => r.nodeId).sort()).toEqual(nodeIds);
        expect(rows.filter((r) => r.leader === true).map((r) => r.pid)).toEqual([leaderPid]);
        for (const r of rows) {
          expect(typeof r.host).toBe('string');
          expect(typeof r.startedAt).toBe('string');
        }
      }
    });
  },
);
