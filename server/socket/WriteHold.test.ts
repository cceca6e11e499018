/**
 * The updates of one change leave together, in-process over real sockets: three sections whose
 * reads run side by side reach a client subscribed to all three in one write of the server's TCP
 * socket (not one per message), and every update arrives, in the order sent.
 */
import type { Socket as NetSocket } from 'node:net';
import { afterAll, expect, it, vi } from 'vitest';
import type { Row } from '../../common/protocol.js';
import type { SectionSpec } from '../sections/SectionEngine.js';
import { recorder, request } from '../../test/helpers/client.js';
import { startInProcessServer, type InProcessServer } from '../../test/support/inProcessServer.js';

let tick = 0;
/** A section whose read takes a few milliseconds, like a database's. */
function slowSection(id: string): SectionSpec {
  return {
    info: { id, title: id, view: { type: 'table' }, mode: 'push' },
    read: () =>
      new Promise((resolve) =>
        setTimeout(() => {
          const rows: Row[] = [{ v: tick, id }];
          resolve({
            rows,
            columns: [
              { name: 'v', type: 'number' },
              { name: 'id', type: 'string' },
            ],
            truncated: false,
          });
        }, 5),
      ),
  };
}

let server: InProcessServer | undefined;
afterAll(() => server?.close());

it('sends the updates of one change to a client in one write', async () => {
  const s = (server = await startInProcessServer({
    sections: ['x', 'y', 'z'].map(slowSection),
  }));
  const client = await s.client();
  const seen = recorder(client);
  await request(client, 'subscribe', { sections: ['x', 'y', 'z'] });
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

  for (let change = 1; change <= 3; change++) {
    tick = change;
    const before = writes.count;
    s.change();
    await vi.waitFor(() => expect(seen.updates).toHaveLength(3 + 3 * change));
    expect(writes.count - before).toBe(1);
  }
  const last = seen.updates.slice(-3);
  expect(last.map((u) => u.section).sort()).toEqual(['x', 'y', 'z']);
  expect(last.every((u) => u.rows[0]?.['v'] === 3)).toBe(true);
});
