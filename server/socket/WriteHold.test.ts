/**
 * Several updates to one client in one write, in-process over real sockets: the slow-consumer
 * guard's emitUpdates sends three sections' updates to a client subscribed to all three in one
 * write of the server's TCP socket (emitted one by one: one write each), and every update
 * arrives, in the order sent.
 */
import type { Socket as NetSocket } from 'node:net';
import { afterAll, expect, it, vi } from 'vitest';
import { recorder, request } from '../../test/helpers/client.js';
import { ControlledSection } from '../../test/support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from '../../test/support/inProcessServer.js';
import { sectionUpdate } from '../../test/support/sectionUpdate.js';
import { SlowConsumerGuard } from './SlowConsumerGuard.js';

let server: InProcessServer | undefined;
afterAll(() => server?.close());

it('sends a batch of updates to a client in one write, one by one in one write each', async () => {
  const ids = ['x', 'y', 'z'];
  const s = (server = await startInProcessServer({
    sections: ids.map((id) => new ControlledSection(id)),
  }));
  const client = await s.client();
  const seen = recorder(client);
  await request(client, 'subscribe', { sections: ids });
  await vi.waitFor(() => expect(seen.updates).toHaveLength(3));
  const onServer = s.running.io.sockets.sockets.get(client.id ?? '');
  const transport = onServer?.conn.transport as unknown as { socket: { _socket: NetSocket } };
  const tcp = transport.socket._socket;
  // Every write the TCP socket makes goes through one of these two.
  const writes = { count: 0 };
  const counted = tcp as unknown as Record<'_write' | '_writev', (...a: unknown[]) => void>;
  for (const method of ['_write', '_writev'] as const) {
    const original = counted[method].bind(tcp);
    counted[method] = (...args: unknown[]) => {
      writes.count += 1;
      original(...args);
    };
  }
  const counters = { sent: () => undefined, skipped: () => undefined, lagging: () => undefined };
  const guard = new SlowConsumerGuard(s.running.io, () => undefined, counters);
  // Newer than what the subscribe sent (a version the client holds is not broadcast to it again).
  const v1 = Math.max(...seen.updates.map((u) => u.version)) + 1;
  const v2 = v1 + 1;

  expect(guard.emitUpdates(ids.map((id) => sectionUpdate(id, v1)))).toBe(3);
  await vi.waitFor(() => expect(seen.updates).toHaveLength(6));
  expect(writes.count).toBe(1);

  for (const id of ids) guard.emitUpdate(sectionUpdate(id, v2));
  await vi.waitFor(() => expect(seen.updates).toHaveLength(9));
  expect(writes.count).toBe(1 + 3);
  expect(seen.updates.slice(3).map((u) => `${u.section}${u.version}`)).toEqual([
    `x${v1}`,
    `y${v1}`,
    `z${v1}`,
    `x${v2}`,
    `y${v2}`,
    `z${v2}`,
  ]);
});
