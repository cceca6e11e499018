/**
 * The cluster topology in-process: two nodes (startServer with `cluster`) in this test process,
 * sharing the real Redis on 127.0.0.1:6379 under a key prefix of their own, stock clients on each.
 * The cross-process cluster tests (nginx, crashes, Redis outages) stay in the other files here.
 */
import { Redis } from 'ioredis';
import { expect, it, vi } from 'vitest';
import type { SectionUpdate } from '../../common/protocol.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import { clusterKeys } from '../../server/cluster/clusterKeys.js';
import { RedisSnapshotStore } from '../../server/cluster/RedisSnapshotStore.js';
import { RECONCILE_MS } from '../../server/delivery/ClusterNode.js';
import { recorder, request } from '../helpers/client.js';
import { ControlledSection } from '../support/controlledSection.js';
import { SHARED_REDIS } from './helpers/fixture.js';
import { InProcessCluster } from './helpers/InProcessCluster.js';
import { changeRows, roles, type InProcessNode } from './helpers/inProcessNodes.js';
import { describeCluster } from './helpers/requirements.js';

const cluster = new InProcessCluster('inproc');
const nodes = cluster.nodes;
type Node = InProcessNode;

const startNode = (): Promise<Node> => cluster.start(new ControlledSection('a'));

const versions = (updates: SectionUpdate[]) =>
  updates.filter((u) => u.section === 'a').map((u) => u.version);

await describeCluster('cluster topology in-process', { services: ['redis'] }, () => {
  const pair = cluster.usePair(startNode);

  it('only the leader reads; each client on either node gets each version once', async () => {
    const [l, f] = [await pair.leader.server.client(), await pair.follower.server.client()];
    const seenL = recorder(l);
    const seenF = recorder(f);
    await request(l, 'subscribe', { sections: ['a'] });
    await request(f, 'subscribe', { sections: ['a'] });
    for (const value of [1, 2, 3]) {
      changeRows(nodes, pair.leader, [{ v: value }]);
      await vi.waitFor(() => {
        expect(seenL.latest('a')?.rows).toEqual([{ v: value }]);
        expect(seenF.latest('a')?.rows).toEqual([{ v: value }]);
      });
    }
    expect(pair.follower.section.reads).toBe(0);
    expect(versions(seenF.updates)).toEqual(versions(seenL.updates)); // same versions everywhere
    const seen = versions(seenF.updates);
    expect(new Set(seen).size).toBe(seen.length); // once each
    expect([...seen].sort((x, y) => x - y)).toEqual(seen); // never backwards
  });

  it("relays the leader's statuses, warning included, to the follower's clients", async () => {
    const socket = await pair.follower.server.client();
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['a'] });
    const warning = 'no trigger on orders notifies opsdeck_changes';
    pair.leader.server.engine.setWarning('a', warning);
    await vi.waitFor(() =>
      expect(seen.statuses.at(-1)).toMatchObject({ section: 'a', healthy: true, warning }),
    );
    // A later subscriber on the follower gets it from the follower's memory.
    const lateSocket = await pair.follower.server.client();
    const lateSeen = recorder(lateSocket);
    await request(lateSocket, 'subscribe', { sections: ['a'] });
    await vi.waitFor(() => expect(lateSeen.statuses.at(-1)).toMatchObject({ warning }));
    pair.leader.server.engine.setWarning('a', undefined);
    await vi.waitFor(() => expect(seen.statuses.at(-1)).not.toHaveProperty('warning'));
  });

  it('lists both nodes in `$cluster`, one of them the leader, on either node', async () => {
    for (const n of [pair.leader, pair.follower]) {
      const socket = await n.server.client();
      const seen = recorder(socket);
      await request(socket, 'subscribe', { sections: [CLUSTER_SECTION_ID] });
      await vi.waitFor(() => expect(seen.latest(CLUSTER_SECTION_ID)?.rows).toHaveLength(2), {
        timeout: 5000,
      });
      const rows = seen.latest(CLUSTER_SECTION_ID)?.rows ?? [];
      expect(rows.filter((r) => r.leader === true)).toHaveLength(1);
      expect(Object.keys(rows[0] ?? {})).toEqual(Object.keys(rows[1] ?? {}));
    }
  });

  it('fences a publish by a node that does not hold the lease', async () => {
    const redis = new Redis(SHARED_REDIS, { maxRetriesPerRequest: 1 });
    try {
      const input = {
        section: 'a',
        result: {
          rows: [{ v: -1 }],
          columns: [{ name: 'v', type: 'number' as const }],
          truncated: false,
        },
        hash: 'not-the-current-hash',
        changedAt: Date.now(),
        queriedAt: Date.now(),
      };
      const keys = clusterKeys(cluster.name);
      const noToken = new RedisSnapshotStore(redis, keys, () => undefined);
      const staleToken = new RedisSnapshotStore(redis, keys, () => 'gone-node:1');
      const fenced = { kind: 'fenced', reason: expect.any(String) as unknown };
      expect(await noToken.publish(input)).toEqual(fenced);
      expect(await staleToken.publish(input)).toEqual(fenced);
      expect(pair.follower.server.engine.snapshot('a')?.rows).not.toEqual([{ v: -1 }]);
    } finally {
      redis.disconnect();
    }
  });

  it("a version stored in Redis whose message the follower never got reaches the follower's clients", async () => {
    const socket = await pair.follower.server.client();
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['a'] });
    await vi.waitFor(() => expect(seen.updates.length).toBeGreaterThan(0));
    const redis = new Redis(SHARED_REDIS, { maxRetriesPerRequest: 1 });
    try {
      // Stored under the leader's own lease, as its publish does, but never sent through pub/sub:
      // a message lost with no disconnect to tell (a shard failing over as the leader sends).
      const keys = clusterKeys(cluster.name);
      const token = await redis.get(keys.lease);
      expect(token).toMatch(/:/);
      const store = new RedisSnapshotStore(redis, keys, () => token ?? undefined);
      const stored = await store.publish({
        section: 'a',
        result: { rows: [{ v: 4242 }], columns: [{ name: 'v', type: 'number' }], truncated: false },
        hash: 'stored-without-a-message',
        changedAt: Date.now(),
        queriedAt: Date.now(),
      });
      expect(stored.kind).toBe('published');
      // The follower's next comparison with Redis (every RECONCILE_MS) delivers it, once.
      await vi.waitFor(() => expect(seen.latest('a')?.rows).toEqual([{ v: 4242 }]), {
        timeout: RECONCILE_MS * 3,
      });
      await new Promise((r) => setTimeout(r, RECONCILE_MS + 500));
      expect(seen.updates.filter((u) => u.rows[0]?.v === 4242)).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
  }, 30_000);

  it('after the leader leaves, the other node leads and its clients keep getting new versions', async () => {
    const socket = await pair.follower.server.client();
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['a'] });
    await vi.waitFor(() => expect(seen.updates).toHaveLength(1));
    const before = seen.updates[0]?.version ?? 0;
    await pair.leader.server.close();
    nodes.splice(nodes.indexOf(pair.leader), 1);
    const [next] = await roles(nodes);
    expect(next).toBe(pair.follower);
    changeRows(nodes, pair.follower, [{ v: 99 }]);
    await vi.waitFor(() => expect(seen.latest('a')?.rows).toEqual([{ v: 99 }]), {
      timeout: 10_000,
    });
    expect(seen.latest('a')?.version).toBeGreaterThan(before);
    expect(pair.follower.section.reads).toBeGreaterThan(0);
  });
});
