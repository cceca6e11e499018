/**
 * A version a client already holds is never broadcast to it again, in-process over real sockets:
 * a subscribe that lands after the store has a new version but before the engine's batch of
 * updates leaves (UpdateBatch) gets that version from the subscribe only; a client that says it
 * holds a newer version (`have`, from a node that is ahead) is not sent that one when this node
 * relays it. Newer versions still reach both.
 */
import { afterAll, expect, it } from 'vitest';
import type { SectionUpdate } from '../../common/protocol.js';
import { recorder, request } from '../../test/helpers/client.js';
import { ControlledSection } from '../../test/support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from '../../test/support/inProcessServer.js';
import { SlowConsumerGuard } from './SlowConsumerGuard.js';

const update = (version: number): SectionUpdate => ({
  section: 'x',
  version,
  rows: [{ v: version }],
  columns: [{ name: 'v', type: 'number' }],
  changedAt: new Date().toISOString(),
  queriedAt: new Date().toISOString(),
});

let server: InProcessServer | undefined;
afterAll(() => server?.close());

it('skips clients holding the broadcast version, sends them newer ones', async () => {
  const s = (server = await startInProcessServer({ sections: [new ControlledSection('x')] }));
  const fresh = await s.client();
  const ahead = await s.client();
  const freshSeen = recorder(fresh);
  const aheadSeen = recorder(ahead);
  await request(fresh, 'subscribe', { sections: ['x'] });
  await request(fresh, 'catalog'); // the update sent by the subscribe has arrived
  const held = freshSeen.latest('x')?.version ?? 0;
  expect(held).toBeGreaterThan(0);
  // `ahead` came from a node two versions ahead of this one.
  await request(ahead, 'subscribe', { sections: ['x'], have: { x: held + 2 } });
  const counters = { sent: () => undefined, skipped: () => undefined, lagging: () => undefined };
  const guard = new SlowConsumerGuard(s.running.io, () => undefined, counters);

  // The batch with the version `fresh` got from its subscribe: nobody (`ahead` holds a newer one).
  expect(guard.emitUpdate(update(held))).toBe(0);
  // Relayed later, the version `ahead` has: `fresh` only.
  expect(guard.emitUpdate(update(held + 2))).toBe(1);
  expect(guard.emitUpdate(update(held + 3))).toBe(2);
  await request(fresh, 'catalog');
  await request(ahead, 'catalog');
  expect(freshSeen.updates.map((u) => u.version)).toEqual([held, held + 2, held + 3]);
  expect(aheadSeen.updates.map((u) => u.version)).toEqual([held + 3]);
});
