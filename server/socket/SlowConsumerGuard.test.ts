/**
 * The slow-consumer guard in-process, over real sockets: a client whose TCP socket stops reading
 * is skipped once its queue is full (the server's memory stays bounded), the others get every
 * version, and when it reads again it gets the latest snapshot instead of the backlog.
 */
import type { Socket as NetSocket } from 'node:net';
import { afterAll, expect, it, vi } from 'vitest';
import type { Row } from '../../common/protocol.js';
import { recorder, request, type TestSocket } from '../../test/helpers/client.js';
import { ControlledSection } from '../../test/support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from '../../test/support/inProcessServer.js';

/** About 400 KB of rows whose every `v` is `value`. */
function bigRows(value: number): Row[] {
  return Array.from({ length: 3000 }, (_, n) => ({ n, pad: 'x'.repeat(100), v: value }));
}

/** The TCP socket under a socket.io-client websocket connection (Node's ws client). */
function tcpOf(socket: TestSocket): NetSocket {
  const engine = socket.io.engine as unknown as { transport: { ws: { _socket: NetSocket } } };
  return engine.transport.ws._socket;
}

let server: InProcessServer | undefined;
afterAll(() => server?.close());

it('skips a stalled client and sends it the latest snapshot when it reads again', async () => {
  const big = new ControlledSection('big', bigRows(0), [
    { name: 'n', type: 'number' },
    { name: 'pad', type: 'string' },
    { name: 'v', type: 'number' },
  ]);
  const s = (server = await startInProcessServer({ sections: [big] }));
  const slow = await s.client();
  const fast = await s.client();
  const slowSeen = recorder(slow);
  const fastSeen = recorder(fast);
  await request(slow, 'subscribe', { sections: ['big'] });
  await request(fast, 'subscribe', { sections: ['big'] });
  await vi.waitFor(() => {
    expect(slowSeen.latest('big')).toBeDefined();
    expect(fastSeen.latest('big')).toBeDefined();
  });

  tcpOf(slow).pause(); // stop reading: the kernel buffers fill, then the server's queue
  let writes = 0;
  while ((await s.metric('opsdeck_skipped_updates_total')) < 3) {
    if (writes >= 200) throw new Error(`no client was skipped after ${writes} changes`);
    writes += 1;
    big.rows = bigRows(writes);
    s.change('big');
    // The fast client reads everything: each version reaches it before the next change.
    await vi.waitFor(() => expect(fastSeen.latest('big')?.rows[0]?.v).toBe(writes), {
      timeout: 10_000,
    });
  }
  expect(await s.metric('opsdeck_slow_clients')).toBe(1);
  // Everything the fast client was sent, once each.
  expect(fastSeen.updates.map((u) => u.rows[0]?.v)).toEqual(
    Array.from({ length: writes + 1 }, (_, i) => i),
  );

  const receivedBefore = slowSeen.updates.length;
  tcpOf(slow).resume();
  await vi.waitFor(() => expect(slowSeen.latest('big')?.rows[0]?.v).toBe(writes), {
    timeout: 15_000,
  });
  // What was already queued, plus the latest: never every version.
  expect(slowSeen.updates.length - receivedBefore).toBeLessThan(writes);
  expect(fastSeen.updates.length).toBeGreaterThan(slowSeen.updates.length);
  const versions = slowSeen.updates.map((u) => u.version);
  expect([...versions].sort((x, y) => x - y)).toEqual(versions); // never backwards
  await vi.waitFor(async () => expect(await s.metric('opsdeck_slow_clients')).toBe(0));
}, 60_000);

it('forgets a stalled client that goes away before it reads again', async () => {
  const big = new ControlledSection('big2', bigRows(0), [
    { name: 'n', type: 'number' },
    { name: 'pad', type: 'string' },
    { name: 'v', type: 'number' },
  ]);
  await server?.close();
  const s = (server = await startInProcessServer({ sections: [big] }));
  const slow = await s.client();
  const fast = await s.client();
  const fastSeen = recorder(fast);
  await request(slow, 'subscribe', { sections: ['big2'] });
  await request(fast, 'subscribe', { sections: ['big2'] });
  await vi.waitFor(() => expect(fastSeen.latest('big2')).toBeDefined());
  const onServer = s.running.io.sockets.sockets.get(slow.id ?? '');
  if (!onServer) throw new Error('no server socket');
  // A client that keeps up carries no listener of the guard's.
  const idleListeners = onServer.listeners('disconnect').length;

  tcpOf(slow).pause();
  let writes = 0;
  while ((await s.metric('opsdeck_slow_clients')) < 1) {
    if (writes >= 200) throw new Error(`no client was skipped after ${writes} changes`);
    writes += 1;
    big.rows = bigRows(writes);
    s.change('big2');
    await vi.waitFor(() => expect(fastSeen.latest('big2')?.rows[0]?.v).toBe(writes), {
      timeout: 10_000,
    });
  }
  expect(onServer.listeners('disconnect').length).toBe(idleListeners + 1);
  slow.disconnect();
  tcpOf(slow).destroy();
  await vi.waitFor(async () => expect(await s.metric('opsdeck_slow_clients')).toBe(0), {
    timeout: 15_000,
  });
}, 60_000);
