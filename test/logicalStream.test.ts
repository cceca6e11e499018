/**
 * The pgoutput stream (server/sources/postgresLogical.ts) through a loopback proxy that can go
 * silent, as a network partition does (no reset, no error, nothing arrives): the connection is
 * given up after three status periods without an answer, a new one resumes from the slot's
 * confirmed position, and a change committed meanwhile arrives. A commit whose acknowledgement was
 * lost in the partition is delivered again (at least once, never lost). Against a PostgreSQL of
 * the test's own (wal_level=logical).
 */
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareLsn,
  openLogicalStream,
  type LogicalStream,
} from '../server/sources/postgresLogical.js';
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

interface Run {
  stream: LogicalStream;
  /** Commit LSNs in the order onCommit reported them. */
  commits: string[];
  errors: string[];
  starts: () => number;
  /** What happened, for a failure's message. */
  log: string[];
}

/** A stream on `slot` through the proxy; `onFirstCommit` runs before the first commit is acknowledged. */
function openThroughProxy(slot: string, onFirstCommit: () => void = () => undefined): Run {
  const commits: string[] = [];
  const errors: string[] = [];
  const log: string[] = [];
  let starts = 0;
  const stream: LogicalStream = openLogicalStream(
    {
      url: `postgres://${pg.user}@127.0.0.1:${proxyPort}/shop`,
      slot,
      publication: 'pub',
      statusMs: 1000,
      retryMs: [50, 200],
    },
    {
      onCommit(tables, lsn) {
        log.push(`commit ${lsn} ${tables.map((t) => `${t.schema}.${t.name}`).join(',')}`);
        commits.push(lsn);
        if (commits.length === 1) onFirstCommit();
        stream.acknowledge(lsn);
      },
      onKeepalive: () => undefined,
      onStart: () => {
        starts += 1;
        log.push('start');
      },
      onError: (error) => {
        errors.push(error.message);
        log.push(`error ${error.message}`);
      },
    },
  );
  return { stream, commits, errors, starts: () => starts, log };
}

async function slotState(slot: string): Promise<Record<string, unknown> | undefined> {
  const rows = await pg.query(
    `SELECT active, active_pid, confirmed_flush_lsn::text AS confirmed,
            pg_current_wal_lsn()::text AS wal FROM pg_replication_slots WHERE slot_name = $1`,
    [slot],
    'shop',
  );
  return rows[0];
}

/** waitFor, whose failure also says what the stream did and where the slot stands. */
async function waitOn(
  run: Run,
  slot: string,
  what: string,
  predicate: () => boolean,
): Promise<void> {
  await waitFor(what, predicate, BOUND_MS).catch(async (error: unknown) => {
    const state = JSON.stringify(await slotState(slot));
    throw new Error(`${String(error)}; stream: ${run.log.join(' | ')}; slot: ${state}`);
  });
}

async function insertOrder(): Promise<string> {
  await pg.query('INSERT INTO orders DEFAULT VALUES', [], 'shop');
  const [row] = await pg.query('SELECT pg_current_wal_lsn()::text AS lsn', [], 'shop');
  return String(row?.lsn);
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
    const admin = new PostgresLogicalAdmin(pg.url('shop'), 5000);
    await admin.ensureSlot('s1');
    const run = openThroughProxy('s1');
    try {
      await waitOn(run, 's1', 'streaming', () => run.starts() === 1);
      await insertOrder();
      await waitOn(run, 's1', 'the first commit', () => run.commits.length === 1);
      const first = run.commits[0] ?? '';
      // The acknowledgement has reached the server: nothing before it may come again.
      await waitFor(
        'the slot to confirm the first commit',
        async () => compareLsn(String((await slotState('s1'))?.confirmed), first) >= 0,
        BOUND_MS,
      );

      silence();
      const walAfterSecond = await insertOrder();
      await waitOn(run, 's1', 'the silent connection given up', () => run.errors.length > 0);
      expect(run.errors[0]).toBe('no answer from the server for 3000 ms');
      await waitOn(run, 's1', 'a new connection', () => run.starts() >= 2);
      // The commit made while the old connection was silent comes from the slot, once.
      await waitOn(run, 's1', 'the commit made meanwhile', () => run.commits.length === 2);
      const second = run.commits[1] ?? '';
      expect(compareLsn(second, first)).toBe(1);
      expect(compareLsn(second, walAfterSecond)).toBeLessThanOrEqual(0);
    } finally {
      await run.stream.close();
    }
  });

  it('delivers again a commit whose acknowledgement was lost, then what followed', async () => {
    const admin = new PostgresLogicalAdmin(pg.url('shop'), 5000);
    await admin.ensureSlot('s2');
    // The partition starts the moment the first commit arrives: its acknowledgement is lost.
    const run = openThroughProxy('s2', silence);
    try {
      await waitOn(run, 's2', 'streaming', () => run.starts() === 1);
      await insertOrder();
      await waitOn(run, 's2', 'the first commit', () => run.commits.length === 1);
      await insertOrder();
      await waitOn(run, 's2', 'a new connection', () => run.starts() >= 2);
      await waitOn(run, 's2', 'both commits from the slot', () => run.commits.length === 3);
      const [first = '', again = '', second = ''] = run.commits;
      expect(again).toBe(first);
      expect(compareLsn(second, first)).toBe(1);
      await waitFor(
        'the slot to confirm the second commit',
        async () => compareLsn(String((await slotState('s2'))?.confirmed), second) >= 0,
        BOUND_MS,
      );
    } finally {
      await run.stream.close();
    }
  });
});
