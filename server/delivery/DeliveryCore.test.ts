/**
 * The delivery core on a single node, in-process, over real sockets: engine -> slow-consumer
 * guard -> rooms, statuses (with the feed's warning), the `missed` metric and `$cluster`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CatalogAck, SectionUpdate } from '../../common/protocol.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import { recorder, request } from '../../test/helpers/client.js';
import { ControlledSection } from '../../test/support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from '../../test/support/inProcessServer.js';

const CLUSTER_COLUMNS = [
  'nodeId',
  'host',
  'pid',
  'startedAt',
  'leader',
  'clients',
  'subscriptions',
  'eventLoopLagMs',
  'heapUsedBytes',
  'rssBytes',
  'queries',
  'updatesSent',
];

let server: InProcessServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function subscribed(s: InProcessServer, sections: string[]) {
  const socket = await s.client();
  const seen = recorder(socket);
  await request(socket, 'subscribe', { sections });
  return { socket, seen };
}

const versionsOf = (updates: SectionUpdate[], section: string) =>
  updates.filter((u) => u.section === section).map((u) => u.version);

describe('DeliveryCore on a single node', () => {
  it('delivers each new version to every subscriber exactly once, and nothing unchanged', async () => {
    const a = new ControlledSection('a');
    server = await startInProcessServer({ sections: [a] });
    const s = server;
    await vi.waitFor(() => expect(s.engine.snapshot('a')?.rows).toEqual([{ v: 0 }]));
    const one = await subscribed(s, ['a']);
    const two = await subscribed(s, ['a']);
    await vi.waitFor(() => expect(two.seen.updates).toHaveLength(1)); // the snapshot on subscribe
    const first = s.engine.snapshot('a')?.version ?? 0;

    a.rows = [{ v: 1 }];
    s.change('a');
    await vi.waitFor(() => expect(s.engine.snapshot('a')?.rows).toEqual([{ v: 1 }]));
    const second = s.engine.snapshot('a')?.version ?? 0;
    expect(second).toBeGreaterThan(first);
    s.change('a'); // same rows: read, not sent
    await vi.waitFor(() => expect(a.reads).toBe(3));
    a.rows = [{ v: 2 }];
    s.change('a');
    await vi.waitFor(() => expect(one.seen.latest('a')?.rows).toEqual([{ v: 2 }]));
    await vi.waitFor(() => expect(two.seen.latest('a')?.rows).toEqual([{ v: 2 }]));

    for (const { seen } of [one, two]) {
      const versions = versionsOf(seen.updates, 'a');
      expect(versions).toHaveLength(3);
      expect(new Set(versions).size).toBe(3);
      expect([...versions].sort((x, y) => x - y)).toEqual(versions);
      expect(versions[1]).toBe(second);
    }
    expect(await s.metric('opsdeck_section_updates_total', { section: 'a' })).toBe(3);
  });

  it('subscribing answers from memory: no read', async () => {
    const a = new ControlledSection('a');
    server = await startInProcessServer({ sections: [a] });
    const s = server;
    await vi.waitFor(() => expect(s.engine.snapshot('a')).toBeDefined());
    const reads = a.reads;
    const clients = await Promise.all([1, 2, 3, 4, 5].map(() => subscribed(s, ['a'])));
    for (const { seen } of clients) await vi.waitFor(() => expect(seen.updates).toHaveLength(1));
    expect(a.reads).toBe(reads);
  });

  it('sends a failing section its status, on subscribe as well, and keeps the last rows', async () => {
    const a = new ControlledSection('a');
    server = await startInProcessServer({ sections: [a] });
    const s = server;
    const watcher = await subscribed(s, ['a']);
    await vi.waitFor(() => expect(watcher.seen.updates).toHaveLength(1));

    a.failWith = 'relation "orders" does not exist';
    s.change('a');
    await vi.waitFor(() =>
      expect(watcher.seen.statuses.at(-1)).toMatchObject({
        section: 'a',
        healthy: false,
        error: 'relation "orders" does not exist',
        lastOkAt: expect.any(String) as unknown,
      }),
    );
    expect(await s.metric('opsdeck_section_healthy', { section: 'a' })).toBe(0);
    const late = await subscribed(s, ['a']);
    await vi.waitFor(() => expect(late.seen.statuses).toHaveLength(1));
    expect(late.seen.statuses[0]).toMatchObject({ section: 'a', healthy: false });
    expect(late.seen.latest('a')?.rows).toEqual([{ v: 0 }]); // stale, but there

    a.failWith = undefined; // the retry backoff re-reads by itself
    await vi.waitFor(() =>
      expect(watcher.seen.statuses.at(-1)).toMatchObject({ section: 'a', healthy: true }),
    );
    expect(await s.metric('opsdeck_section_healthy', { section: 'a' })).toBe(1);
  });

  it("relays the change feed's warning, on subscribe too, and its clearing", async () => {
    const a = new ControlledSection('a');
    server = await startInProcessServer({ sections: [a] });
    const s = server;
    const watcher = await subscribed(s, ['a']);
    const warning = 'no trigger on orders notifies opsdeck_changes';
    s.engine.setWarning('a', warning);
    await vi.waitFor(() =>
      expect(watcher.seen.statuses).toEqual([
        expect.objectContaining({ section: 'a', healthy: true, warning }),
      ]),
    );
    const late = await subscribed(s, ['a']);
    await vi.waitFor(() =>
      expect(late.seen.statuses).toEqual([
        expect.objectContaining({ section: 'a', healthy: true, warning }),
      ]),
    );
    s.engine.setWarning('a', undefined);
    await vi.waitFor(() => expect(watcher.seen.statuses).toHaveLength(2));
    expect(watcher.seen.statuses[1]).not.toHaveProperty('warning');
  });

  it('counts a change that only the safety re-check found as missed', async () => {
    const a = new ControlledSection('a');
    server = await startInProcessServer({ sections: [a] });
    const s = server;
    await vi.waitFor(() => expect(s.engine.snapshot('a')).toBeDefined());
    expect(await s.metric('opsdeck_missed_changes_total', { section: 'a' })).toBe(0);
    a.rows = [{ v: 9 }];
    s.engine.request('a', Date.now(), 'recheck');
    await vi.waitFor(async () =>
      expect(await s.metric('opsdeck_missed_changes_total', { section: 'a' })).toBe(1),
    );
    a.rows = [{ v: 10 }];
    s.change('a'); // announced: not missed
    await vi.waitFor(() => expect(s.engine.snapshot('a')?.rows).toEqual([{ v: 10 }]));
    expect(await s.metric('opsdeck_missed_changes_total', { section: 'a' })).toBe(1);
  });

  it('lists `$cluster` with one row per node, refreshed at least every 2 s', async () => {
    server = await startInProcessServer({ sections: [new ControlledSection('a')] });
    const s = server;
    const socket = await s.client();
    const catalog = await request<CatalogAck>(socket, 'catalog');
    if (!catalog.ok) throw new Error(catalog.error.message);
    expect(catalog.sections.map((x) => x.id)).toEqual(['a', CLUSTER_SECTION_ID]);
    expect(catalog.server.clusterSize).toBe(1);

    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: [CLUSTER_SECTION_ID] });
    await vi.waitFor(() => expect(seen.updates).toHaveLength(1));
    const first = seen.updates[0];
    expect(first?.columns.map((c) => c.name)).toEqual(CLUSTER_COLUMNS);
    expect(first?.rows).toHaveLength(1);
    expect(first?.rows[0]).toMatchObject({
      nodeId: catalog.server.nodeId,
      pid: process.pid,
      leader: true,
    });
    // Refreshed by itself (the contract: at least every 2 s): now with this client subscribed.
    await vi.waitFor(
      () => expect(seen.latest(CLUSTER_SECTION_ID)?.rows[0]).toMatchObject({ subscriptions: 1 }),
      { timeout: 4500, interval: 50 },
    );
    expect(seen.latest(CLUSTER_SECTION_ID)?.rows[0]).toMatchObject({ clients: 1 });
    expect(seen.latest(CLUSTER_SECTION_ID)?.version).toBeGreaterThan(first?.version ?? 0);
  });

  it('is the leader from the start and says so in its metrics; stops reading when closed', async () => {
    const a = new ControlledSection('a');
    server = await startInProcessServer({ sections: [a] });
    const s = server;
    expect(await s.metric('opsdeck_is_leader')).toBe(1);
    await s.close();
    server = undefined;
    expect(await s.metric('opsdeck_is_leader')).toBe(0);
    const reads = a.reads;
    s.change('a');
    await new Promise((r) => setImmediate(r));
    expect(a.reads).toBe(reads);
  });
});
