/**
 * A version a client already holds is never broadcast to it again, in-process over real sockets:
 * a subscribe that lands after the store has a new version but before the engine's batch of
 * updates leaves (UpdateBatch) gets that version from the subscribe only; a client that says it
 * holds a newer version (`have`, from a node that is ahead) is not sent that one when this node
 * relays it. Newer versions still reach both.
 */
import { afterAll, expect, it, vi } from 'vitest';
import type { SnapshotStore } from '../sections/SnapshotStore.js';
import { recorder, request } from '../../test/helpers/client.js';
import { ControlledSection } from '../../test/support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from '../../test/support/inProcessServer.js';
import { sectionUpdate } from '../../test/support/sectionUpdate.js';
import { SlowConsumerGuard } from './SlowConsumerGuard.js';

const update = (version: number) => sectionUpdate('x', version);

let server: InProcessServer | undefined;
afterAll(() => server?.close());

it('skips clients holding the broadcast version, sends them newer ones', async () => {
  const section = new ControlledSection('x');
  const s = (server = await startInProcessServer({ sections: [section] }));
  await vi.waitFor(() => expect(s.engine.snapshot('x')).toBeDefined());
  const idle = await s.client();
  const fresh = await s.client();
  const ahead = await s.client();
  const freshSeen = recorder(fresh);
  const aheadSeen = recorder(ahead);
  // Subscribed while nothing is on its way: nothing is noted for it.
  await request(idle, 'subscribe', { sections: ['x'] });
  const broadcast = s.engine.snapshot('x')?.version ?? 0;
  // The moment between the store's new version and its broadcast (UpdateBatch holds the updates
  // of one change for a few ms): the engine's store has it, no room has been sent it yet.
  // The store is the engine's own (private): reached directly to stop time at that moment.
  const store = (s.engine as unknown as { store: SnapshotStore }).store;
  await store.publish({
    section: 'x',
    result: { rows: [{ v: 41 }], columns: [{ name: 'v', type: 'number' }], truncated: false },
    hash: 'between',
    changedAt: Date.now(),
    queriedAt: Date.now(),
  });
  const held = s.engine.snapshot('x')?.version ?? 0;
  expect(held).toBeGreaterThan(broadcast);
  await request(fresh, 'subscribe', { sections: ['x'] });
  await request(fresh, 'catalog'); // the update sent by the subscribe has arrived
  expect(freshSeen.latest('x')?.version).toBe(held);
  // `ahead` came from a node two versions ahead of this one.
  await request(ahead, 'subscribe', { sections: ['x'], have: { x: held + 2 } });
  const counters = { sent: () => undefined, skipped: () => undefined, lagging: () => undefined };
  const guard = new SlowConsumerGuard(s.running.io, () => undefined, counters);

  // The broadcast of the version `fresh` got from its subscribe: `idle` only.
  expect(guard.emitUpdate(update(held))).toBe(1);
  // Relayed later, the version `ahead` has: `idle` and `fresh`.
  expect(guard.emitUpdate(update(held + 2))).toBe(2);
  expect(guard.emitUpdate(update(held + 3))).toBe(3);
  await request(fresh, 'catalog');
  await request(ahead, 'catalog');
  expect(freshSeen.updates.map((u) => u.version)).toEqual([held, held + 2, held + 3]);
  expect(aheadSeen.updates.map((u) => u.version)).toEqual([held + 3]);
  expect(guard.broadcastVersion('x')).toBe(held + 3);
});
