/**
 * The binlog reader (server/sources/mysqlBinlog.ts) against a MariaDB of its own: it asks the
 * server for heartbeats, so an idle stream stays up, and a connection that goes silent (a
 * half-open TCP connection: the proxy in between stops passing the server's bytes, without closing
 * anything) is declared lost after three missed heartbeats, reopened at its position, and the row
 * committed meanwhile arrives.
 */
import { createServer, connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBinlogFeed, type BinlogOpen } from '../server/sources/mysqlBinlog.js';
import type { TempMariadb } from '../testkit/tempMariadb.js';
import { privateMariadbUnavailable, startSalesMariadb } from './helpers/privateMariadb.js';
import { waitFor } from './helpers/client.js';

let db: TempMariadb;
/** Undone newest first after the file's tests. */
const cleanups: (() => unknown)[] = [];

/** A TCP proxy whose open connections can be silenced (server -> client bytes dropped). */
async function silencingProxy(target: number) {
  const open = new Set<{ client: Socket; silent: boolean }>();
  const server = createServer((client) => {
    const pair = { client, silent: false };
    open.add(pair);
    const upstream = tcpConnect(target, '127.0.0.1');
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (!pair.silent) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    silence: () => open.forEach((p) => (p.silent = true)),
    close: () => {
      for (const p of open) p.client.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const unavailable = privateMariadbUnavailable(import.meta.url);

beforeAll(async () => {
  if (unavailable) return;
  db = await startSalesMariadb(cleanups, {
    tables: ['CREATE TABLE sales.events (id INT AUTO_INCREMENT PRIMARY KEY)'],
  });
}, 120_000);

afterAll(async () => {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
}, 60_000);

describe.skipIf(unavailable !== undefined)('binlog reader', () => {
  it('stays up while idle (heartbeats), and reopens a silent connection at its position', async () => {
    const proxy = await silencingProxy(db.port);
    cleanups.push(() => proxy.close());
    const opens: BinlogOpen[] = [];
    const errors: string[] = [];
    let rows = 0;
    const heartbeatMs = 400;
    const feed = openBinlogFeed(
      `mysql://root@127.0.0.1:${proxy.port}/sales`,
      {
        serverId: 4242,
        include: { sales: ['events'] },
        heartbeatMs,
        backoff: { initialMs: 50, maxMs: 200 },
      },
      {
        onRows: () => (rows += 1),
        onStatement: () => undefined,
        onOpen: (how) => opens.push(how),
        onError: (error) => errors.push(error.message),
      },
    );
    cleanups.push(() => feed.close());
    await waitFor('the stream open', () => opens.length === 1, 15_000);
    expect(opens).toEqual(['start']);
    await db.sql('INSERT INTO sales.events () VALUES ()');
    await waitFor('the first row', () => rows === 1, 5000);

    // Idle for longer than three heartbeat periods: still up, because the heartbeats arrive.
    await new Promise((resolve) => setTimeout(resolve, 5 * heartbeatMs));
    expect(errors).toEqual([]);

    proxy.silence();
    await db.sql('INSERT INTO sales.events () VALUES ()');
    await waitFor('the silent connection declared lost', () => errors.length > 0, 10_000);
    expect(errors[0]).toMatch(/no event nor heartbeat from the server/);
    await waitFor('reopened', () => opens.length === 2, 15_000);
    expect(opens[1]).toBe('resumed');
    await waitFor('the row committed while silent', () => rows === 2, 5000);
  });
});
