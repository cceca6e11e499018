/**
 * What the server keeps for one idle, subscribed connection, in-process over real sockets: not
 * the HTTP request that opened it, no closures of its own (every socket shares the protocol's
 * listeners), its sections as its rooms; and the protocol still answers, limits and subscribes.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { PingAck, SubscribeAck } from '../../common/protocol.js';
import { recorder, request } from '../../test/helpers/client.js';
import { ControlledSection } from '../../test/support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from '../../test/support/inProcessServer.js';

const a = new ControlledSection('a');
const b = new ControlledSection('b');
let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcessServer({ sections: [a, b] });
  await vi.waitFor(() => expect(server.engine.snapshot('b')).toBeDefined());
});
afterAll(() => server.close());

/** The server's side of the connections, once each has subscribed. */
async function subscribedPair() {
  const clients = [await server.client(), await server.client()];
  for (const c of clients) {
    const ack = await request<SubscribeAck>(c, 'subscribe', { sections: ['a', 'b'] });
    expect(ack.ok).toBe(true);
  }
  const sockets = clients.map((c) => {
    const socket = server.running.io.sockets.sockets.get(c.id ?? '');
    if (!socket) throw new Error('no server socket');
    return socket;
  });
  return { clients, sockets };
}

it('keeps no HTTP request per connection, and the token check still sees the auth', async () => {
  const { sockets } = await subscribedPair();
  for (const socket of sockets) {
    expect((socket.conn as unknown as { request: unknown }).request).toBeNull();
    expect(socket.handshake.headers).toEqual({});
  }
  const guarded = await startInProcessServer({ sections: [a], tokens: ['secret'] });
  try {
    await expect(guarded.client()).rejects.toThrow('unauthorized');
    const client = await guarded.client({ token: 'secret' });
    const socket = guarded.running.io.sockets.sockets.get(client.id ?? '');
    expect((socket?.conn as unknown as { request: unknown }).request).toBeNull();
  } finally {
    await guarded.close();
  }
});

it('gives every socket the same listeners: nothing is allocated per connection', async () => {
  const { sockets } = await subscribedPair();
  const [first, second] = sockets;
  if (!first || !second) throw new Error('two sockets expected');
  expect(first.listenersAny()).toHaveLength(1);
  expect(first.listenersAny()).toEqual(second.listenersAny());
  expect(first.listeners('disconnect')).toEqual(second.listeners('disconnect'));
  // The sections are the socket's rooms, nothing else.
  expect([...first.rooms].sort()).toEqual([first.id, 'section:a', 'section:b'].sort());
});

it('still delivers, unsubscribes and rate-limits per socket', async () => {
  const { clients } = await subscribedPair();
  const [noisy, calm] = clients;
  if (!noisy || !calm) throw new Error('two clients expected');
  const seen = recorder(calm);
  a.rows = [{ v: Date.now() }];
  server.change('a');
  await vi.waitFor(() => expect(seen.latest('a')?.rows).toEqual(a.rows));
  expect(await request(calm, 'unsubscribe', { sections: ['a'] })).toEqual({ ok: true });
  const acks = await Promise.all(Array.from({ length: 60 }, () => request<PingAck>(noisy, 'ping')));
  expect(acks.filter((x) => !x.ok).length).toBeGreaterThan(0);
  expect((await request<PingAck>(calm, 'ping')).ok).toBe(true);
});
