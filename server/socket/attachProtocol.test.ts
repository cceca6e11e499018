/**
 * The protocol handlers in-process, through the real composition and stock socket.io-client
 * connections: every ack's shape, validation, unknown sections, the rate limit, `have` versions.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  AckError,
  CatalogAck,
  PingAck,
  SubscribeAck,
  UnsubscribeAck,
} from '../../common/protocol.js';
import { recorder, request, type TestSocket } from '../../test/helpers/client.js';
import { ControlledSection } from '../../test/support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from '../../test/support/inProcessServer.js';

const a = new ControlledSection('a');
const b = new ControlledSection('b', [{ v: 'b' }], [{ name: 'v', type: 'string' }]);
let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcessServer({ sections: [a, b] });
  await vi.waitFor(() => expect(server.engine.snapshot('b')).toBeDefined());
});
afterAll(() => server.close());

/** The current version of a section (after its first read). */
function versionOf(id: string): number {
  const version = server.engine.snapshot(id)?.version;
  if (version === undefined) throw new Error(`no snapshot of ${id}`);
  return version;
}

/** A roundtrip: every event the server sent before its ack has arrived by then. */
async function flush(socket: TestSocket): Promise<void> {
  await request<PingAck>(socket, 'ping');
}

describe('acks', () => {
  it('catalog describes the server and the sections', async () => {
    const ack = await request<CatalogAck>(await server.client(), 'catalog');
    expect(ack).toMatchObject({
      ok: true,
      server: { name: 'opsdeck', clusterSize: 1, nodeId: expect.any(String) as unknown },
    });
    if (!ack.ok) return;
    expect(ack.sections.map((s) => s.id)).toEqual(['a', 'b', '$cluster']);
    expect(ack.sections[0]).toEqual({
      id: 'a',
      title: 'Section a',
      view: { type: 'table' },
      mode: 'push',
    });
  });

  it('ping answers the server time', async () => {
    const before = Date.now();
    const ack = await request<PingAck>(await server.client(), 'ping');
    expect(ack.ok).toBe(true);
    if (ack.ok) expect(ack.serverTime).toBeGreaterThanOrEqual(before);
  });

  it('subscribe answers the sections once each, then sends their snapshots', async () => {
    const socket = await server.client();
    const seen = recorder(socket);
    const ack = await request<SubscribeAck>(socket, 'subscribe', { sections: ['a', 'b', 'a'] });
    expect(ack).toEqual({ ok: true, sections: ['a', 'b'] });
    await flush(socket);
    expect(seen.updates.map((u) => u.section).sort()).toEqual(['a', 'b']);
    expect(seen.latest('b')?.rows).toEqual([{ v: 'b' }]);
  });

  it('unsubscribe answers ok and stops the updates of that section', async () => {
    const socket = await server.client();
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['a', 'b'] });
    const ack = await request<UnsubscribeAck>(socket, 'unsubscribe', { sections: ['a'] });
    expect(ack).toEqual({ ok: true });
    const before = seen.updates.length;
    a.rows = [{ v: Date.now() }];
    b.rows = [{ v: `b${Date.now()}` }];
    server.change('a', 'b');
    await vi.waitFor(() => expect(seen.updates.length).toBe(before + 1));
    await flush(socket);
    expect(seen.updates.slice(before).map((u) => u.section)).toEqual(['b']);
  });
});

describe('refusals', () => {
  const badPayloads: [string, unknown[]][] = [
    ['no payload', []],
    ['sections not an array', [{ sections: 'a' }]],
    ['a section id that is not a string', [{ sections: [42] }]],
    ['have with a non-number version', [{ sections: ['a'], have: { a: 'x' } }]],
    ['a string payload', ['a']],
  ];
  it.each(badPayloads)('subscribe with %s: bad_request, still connected', async (_, args) => {
    const socket = await server.client();
    const ack = await request<AckError>(socket, 'subscribe', ...args);
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(ack.error.message).not.toBe('');
    expect(socket.connected).toBe(true);
  });

  it('an unknown event with an ack: bad_request naming it', async () => {
    const ack = await request<AckError>(await server.client(), 'drop-tables', {});
    expect(ack).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'unknown event: drop-tables' },
    });
  });

  it('an event without an ack is ignored, never fatal', async () => {
    const socket = await server.client();
    (socket as unknown as { emit(e: string, p: unknown): void }).emit('subscribe', {
      sections: ['a'],
    });
    const ack = await request<PingAck>(socket, 'ping');
    expect(ack.ok).toBe(true);
  });

  it('unknown sections: unknown_section, and nothing is subscribed', async () => {
    const socket = await server.client();
    const seen = recorder(socket);
    const ack = await request<AckError>(socket, 'subscribe', { sections: ['a', 'nope', 'nah'] });
    expect(ack).toEqual({
      ok: false,
      error: { code: 'unknown_section', message: 'unknown section: nope, nah' },
    });
    const off = await request<AckError>(socket, 'unsubscribe', { sections: ['nope'] });
    expect(off.error.code).toBe('unknown_section');
    a.rows = [{ v: Date.now() + 1 }];
    server.change('a');
    await vi.waitFor(() => expect(server.engine.snapshot('a')?.rows).toEqual(a.rows));
    await flush(socket);
    expect(seen.updates).toEqual([]);
    expect(await server.metric('opsdeck_rejected_events_total', { code: 'unknown_section' })).toBe(
      2,
    );
  });

  it('past the burst: rate_limited, other clients unaffected', async () => {
    const noisy = await server.client();
    const calm = await server.client();
    const acks = await Promise.all(
      Array.from({ length: 60 }, () => request<PingAck>(noisy, 'ping')),
    );
    const limited = acks.filter((x) => !x.ok);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(acks.filter((x) => x.ok).length).toBeGreaterThanOrEqual(40);
    expect((await request<PingAck>(calm, 'ping')).ok).toBe(true);
  });
});

describe('have versions', () => {
  it('sends a snapshot only to a client holding none or an older version: never backwards', async () => {
    const current = versionOf('b');
    const cases: [string, Record<string, number> | undefined, number][] = [
      ['no have', undefined, 1],
      ['an older version', { b: current - 1 }, 1],
      ['the current version', { b: current }, 0],
      ['a newer version (from a node ahead of this one)', { b: current + 1000 }, 0],
    ];
    for (const [what, have, expected] of cases) {
      const socket = await server.client();
      const seen = recorder(socket);
      const ack = await request<SubscribeAck>(socket, 'subscribe', {
        sections: ['b'],
        ...(have ? { have } : {}),
      });
      expect(ack.ok, what).toBe(true);
      await flush(socket);
      expect(seen.updates.length, what).toBe(expected);
      if (expected) expect(seen.updates[0]?.version, what).toBe(current);
    }
  });
});
