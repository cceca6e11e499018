/**
 * `opsdeck serve --workers 3`: one process, three workers (node:cluster) behind @socket.io/sticky,
 * sharing Redis like any cluster. Clients on the websocket transport and on HTTP long-polling
 * (no upgrade, so every request must reach the worker holding the session) each get every change
 * once, and `$cluster` lists the three workers with one leader.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Row } from '../../common/protocol.js';
import { waitFor } from '../helpers/client.js';
import { ClusterFixture } from './helpers/clusterFixture.js';
import { insertEvent, SECTION_IDS } from './helpers/fixture.js';
import { allHaveEvent, LiveClient } from './helpers/liveClient.js';
import { describeCluster } from './helpers/requirements.js';

// One process: the primary prints its ready line once all three workers serve.
const fixture = new ClusterFixture({ workers: 3 });
const websocket: LiveClient[] = [];
const polling: LiveClient[] = [];

await describeCluster(
  'serve --workers 3 (sticky sessions)',
  { services: ['postgres', 'redis'] },
  () => {
    beforeAll(async () => {
      const { server } = await fixture.start();
      for (let i = 0; i < 3; i++) {
        websocket.push(await LiveClient.open(`ws${i}`, server.url, [...SECTION_IDS, '$cluster']));
        polling.push(
          await LiveClient.open(`poll${i}`, server.url, [...SECTION_IDS, '$cluster'], {
            transports: ['polling'],
          }),
        );
      }
    });

    afterAll(async () => {
      for (const c of [...websocket, ...polling]) c.close();
      await fixture.stop();
    });

    it('$cluster shows the 3 workers with one leader; clients are spread over them', async () => {
      const clients = [...websocket, ...polling];
      const rows = await waitFor(
        '$cluster with 3 workers and one leader on every client',
        () => {
          const views = clients.map((c) => c.latest('$cluster')?.rows);
          const ok = views.every(
            (r: Row[] | undefined) =>
              r?.length === 3 && r.filter((row) => row.leader === true).length === 1,
          );
          return ok && views[0];
        },
        10_000,
      );
      const workerIds = rows.map((r) => r.nodeId).sort();
      expect(new Set(rows.map((r) => r.pid)).size).toBe(3);
      for (const c of clients) expect(workerIds).toContain(c.nodeId);
      // least-connection balancing: six clients opened one after the other use all three workers.
      expect(new Set(clients.map((c) => c.nodeId)).size).toBe(3);
    });

    it('delivers every change once on the websocket transport and on long-polling', async () => {
      const clients = [...websocket, ...polling];
      await waitFor('initial snapshots', () =>
        clients.every((c) => SECTION_IDS.every((s) => c.latest(s))),
      );
      const start = clients.map((c) => c.updates.length);
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) {
        const id = await insertEvent(fixture.db, `worker change ${i}`);
        ids.push(id);
        await waitFor(`event ${id} on every client`, () => allHaveEvent(clients, id));
      }
      const eventsOf = (c: LiveClient, i: number) =>
        c.updates.slice(start[i]).filter((u) => u.section === 'events');
      const reference = eventsOf(clients[0]!, 0).map((u) => u.version);
      clients.forEach((c, i) => {
        expect(eventsOf(c, i).map((u) => u.rows[0]?.last_id)).toEqual(ids);
        expect(eventsOf(c, i).map((u) => u.version)).toEqual(reference);
        expect(c.monotonicityViolations()).toEqual([]);
        expect(c.disconnectReasons).toEqual([]);
      });
      // The transports really were the ones asked for (no upgrade of the polling clients).
      for (const c of websocket) expect(c.socket.io.engine.transport.name).toBe('websocket');
      for (const c of polling) expect(c.socket.io.engine.transport.name).toBe('polling');
    });
  },
);
