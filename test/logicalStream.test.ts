/**
 * The pgoutput stream (server/sources/postgresLogical.ts) through a loopback proxy that can go
 * silent, as a network partition does (no reset, no error, nothing arrives): the connection is
 * given up after three status periods without an answer, a new one resumes from the slot, and a
 * change committed meanwhile arrives. Against a PostgreSQL of the test's own (wal_level=logical).
 */
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogicalStream, type LogicalStream } from '../server/sources/postgresLogical.js';
import { PostgresLogicalAdmin } from '../server/sources/postgresLogicalAdmin.js';
import { startTempPostgres, type TempPostgres } from '../testkit/tempPostgres.js';
import { waitFor } from './helpers/client.js';

/** Bounds for the system under test on a loaded two-core machine. */
const BOUND_MS = 15_000;

let pg: TempPostgres;
let proxy: Server;
let proxyPort = 0;
/** Connections made so far; silence() stops forwarding on these (new ones pass). */
const links: { client: Socket; silent: boolean }[] = [];

function silence(): void {
  for (const link of links) link.silent = true;
}

describe('the logical replication stream', () => {
  beforeAll(async () => {
    pg = await startTempPostgres();
    await pg.query('CREATE DATABASE shop');
    await pg.query('CREATE TABLE orders (id serial PRIMARY KEY)', [], 'shop');
    await pg.query('CREATE PUBLICATION pub FOR TABLE orders', [], 'shop');
    proxy = createServer((client) => {
      const upstream = tcpConnect(pg.port, '127.0.0.1');
      const link = { client, silent: false };
      links.push(link);
      client.on('data', (chunk) => link.silent || upstream.write(chunk));
      upstream.on('data', (chunk) => link.silent || client.write(chunk));
      const drop = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    proxyPort = typeof address === 'object' && address ? address.port : 0;
  }, 120_000);

  afterAll(async () => {
    for (const link of links) link.client.destroy();
    await new Promise((resolve) => proxy.close(resolve));
    await pg.stop();
  });

  it('replaces a connection that goes silent and resumes from the slot', async () => {
    const url = `postgres://${pg.user}@127.0.0.1:${proxyPort}/shop`;
    const admin = new PostgresLogicalAdmin(pg.url('shop'), 5000);
    await admin.ensureSlot('s1');
    const commits: string[] = [];
    const errors: string[] = [];
    let starts = 0;
    const stream: LogicalStream = openLogicalStream(
      { url, slot: 's1', publication: 'pub', statusMs: 1000, retryMs: [50, 200] },
      {
        onCommit(tables, lsn) {
          commits.push(tables.map((t) => `${t.schema}.${t.name}`).join(','));
          stream.acknowledge(lsn);
        },
        onKeepalive: () => undefined,
        onStart: () => (starts += 1),
        onError: (error) => errors.push(error.message),
      },
    );
    try {
      await waitFor('streaming', () => starts === 1, BOUND_MS);
      await pg.query('INSERT INTO orders DEFAULT VALUES', [], 'shop');
      await waitFor('the first commit', () => commits.length === 1, BOUND_MS);
      expect(commits).toEqual(['public.orders']);

      silence();
      await pg.query('INSERT INTO orders DEFAULT VALUES', [], 'shop');
      await waitFor('the silent connection given up', () => errors.length > 0, BOUND_MS);
      expect(errors[0]).toBe('no answer from the server for 3000 ms');
      await waitFor('a new connection', () => starts >= 2, BOUND_MS);
      // The commit made while the old connection was silent comes from the slot, once.
      await waitFor('the commit made meanwhile', () => commits.length === 2, BOUND_MS).catch(
        async (error: unknown) => {
          const slot = await pg.query(
            `SELECT active, active_pid, confirmed_flush_lsn::text AS confirmed,
                    pg_current_wal_lsn()::text AS wal FROM pg_replication_slots`,
            [],
            'shop',
          );
          throw new Error(
            `${String(error)}; stream errors: ${errors.join(' | ')}; starts: ${starts}; ` +
              `slot: ${JSON.stringify(slot)}`,
          );
        },
      );
      expect(commits).toEqual(['public.orders', 'public.orders']);
    } finally {
      await stream.close();
    }
  });
});
