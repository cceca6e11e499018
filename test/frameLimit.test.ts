/**
 * The 64 KB frame limit (docs/socketio.md "Frame size") against a real `opsdeck demo` process, on
 * both transports: below it every malformed payload is answered `bad_request` and the connection
 * stays (a 5,000-section subscribe of ~38 KB included); above it that one connection is closed,
 * counted in `opsdeck_oversized_frames_total{transport}`, and nobody else notices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckError, CatalogAck, SubscribeAck } from '../common/protocol.js';
import { request, waitFor, type TestSocket } from './helpers/client.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { DemoServer } from './helpers/demoServer.js';

const LIMIT = 64 * 1024;
const TRANSPORTS = ['websocket', 'polling'] as const;

let demo: DemoServer;

async function client(transport: string): Promise<TestSocket> {
  return demo.connect({ transports: [transport] });
}

async function oversized(transport: string): Promise<number> {
  return metricValue(await scrape(demo.url), 'opsdeck_oversized_frames_total', { transport });
}

async function catalogWorks(socket: TestSocket): Promise<void> {
  const ack = await request<CatalogAck>(socket, 'catalog');
  expect(ack.ok).toBe(true);
}

/** The size of the frame Socket.IO sends for `emit('subscribe', payload, ack)` (`421["subscribe",...]`). */
function frameBytes(payload: unknown): number {
  return Buffer.byteLength(`421${JSON.stringify(['subscribe', payload])}`);
}

beforeAll(async () => {
  demo = await DemoServer.start({ seed: 'frames', rate: 0 });
});

afterAll(async () => {
  await demo.stop();
});

describe.each(TRANSPORTS)('frame limit over %s', (transport) => {
  it('a 5,000-section subscribe (~38 KB) is answered bad_request, too many sections; the connection stays', async () => {
    const socket = await client(transport);
    const ids = Array.from({ length: 5000 }, (_, i) => `s${String(i).padStart(4, '0')}`);
    const payload = { sections: ids };
    expect(frameBytes(payload)).toBeGreaterThan(30_000);
    expect(frameBytes(payload)).toBeLessThan(LIMIT);

    const ack = await request<SubscribeAck>(socket, 'subscribe', payload);
    expect(ack.ok).toBe(false);
    const { error } = ack as AckError;
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/too many sections/);
    // One clear line, not one per id.
    expect(error.message.length).toBeLessThan(300);
    expect(socket.connected).toBe(true);

    // 200 ids that are not ids at all: still one short answer, not a line per id.
    const bad = await request<SubscribeAck>(socket, 'subscribe', {
      sections: ids.slice(0, 200).map((id) => id.toUpperCase()),
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((bad as AckError).error.message).toMatch(/not a section id.*and 197 more$/);
    expect((bad as AckError).error.message.length).toBeLessThan(600);
    await catalogWorks(socket);
  });

  it('a malformed payload just under the limit is answered bad_request; the connection stays', async () => {
    const socket = await client(transport);
    const payload = { sections: ['kpis'], padding: 'x'.repeat(LIMIT - 200) };
    expect(frameBytes(payload)).toBeLessThan(LIMIT);
    const ack = await request<SubscribeAck>(socket, 'subscribe', payload);
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(socket.connected).toBe(true);
    await catalogWorks(socket);
  });

  it('a frame over the limit closes that connection only, and is counted', async () => {
    const bystander = await client(transport);
    const before = await oversized(transport);
    const socket = await client(transport);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const payload = { sections: ['kpis'], padding: 'x'.repeat(LIMIT + 1024) };
    expect(frameBytes(payload)).toBeGreaterThan(LIMIT);
    // No acknowledgement: there will be no answer, only the close.
    (socket as unknown as { emit(event: string, payload: unknown): void }).emit(
      'subscribe',
      payload,
    );

    expect(await closed).toMatch(/transport (close|error)/);
    await waitFor(
      `opsdeck_oversized_frames_total{transport="${transport}"} to count it`,
      async () => (await oversized(transport)) === before + 1,
      15_000,
    );
    // The server closed its side too: the client is gone from the connected count.
    await waitFor(
      'the closed connection to leave opsdeck_connected_clients',
      async () => {
        const text = await scrape(demo.url);
        return metricValue(text, 'opsdeck_connected_clients') === connectedNow();
      },
      15_000,
    );
    expect(bystander.connected).toBe(true);
    await catalogWorks(bystander);
    expect(demo.process.child.exitCode).toBeNull();
  });
});

/** Sockets of this file still connected (the server's gauge counts exactly these). */
function connectedNow(): number {
  return demo.sockets.filter((s) => s.connected).length;
}
