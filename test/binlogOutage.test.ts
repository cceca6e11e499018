/**
 * Binlog mode while the database goes away (a TCP proxy in front of a private MariaDB resets every
 * connection and refuses new ones) and comes back: the sections fail with the database's error
 * within seconds, not only "may be late" until the next safety re-check, and heal within seconds
 * of its return; then row events flow again.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TempMariadb } from '../testkit/tempMariadb.js';
import {
  EVENTS_WITH_NOTES,
  privateMariadbUnavailable,
  startSalesMariadb,
} from './helpers/privateMariadb.js';
import { connect, recorder, request } from './helpers/client.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { healthyAndUnwarned, waitForEachStatus } from './helpers/sectionStatuses.js';
import { tableSection, writeServeConfig } from './helpers/serveConfig.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy.js';

const SECTIONS = ['total', 'recent'];
/**
 * Well under the 1 h safety re-check and the failure backoff after 16 s away (15 s); over the
 * binlog reconnect backoff (at most 5 s) plus a connection.
 */
const WITHIN_MS = 10_000;
const OUTAGE_MS = 16_000;

const cleanups: (() => unknown)[] = [];
let db: TempMariadb;
let proxy: TcpProxy;
let server: OpsdeckProcess;
const unavailable = privateMariadbUnavailable(import.meta.url);

beforeAll(async () => {
  if (unavailable) return;
  db = await startSalesMariadb(cleanups, { tables: [EVENTS_WITH_NOTES], binlogReader: true });
  proxy = await startTcpProxy(db.port);
  cleanups.push(() => proxy.close());
  const url = new URL(db.url('sales', 'opsdeck'));
  url.port = String(proxy.port);
  const written = writeServeConfig({
    database: { url: url.toString() },
    watch: { mode: 'binlog', intervalMs: 3_600_000 },
    sections: [
      tableSection('total', 'SELECT COUNT(*) AS n FROM events', ['events']),
      tableSection('recent', 'SELECT id, note FROM events ORDER BY id DESC LIMIT 5', ['events']),
    ],
  });
  cleanups.push(written.remove);
  server = await startOpsdeck(['serve', '--config', written.file, '--port', '0'], {}, 60_000);
  cleanups.push(() => server.stop());
}, 120_000);

afterAll(async () => {
  for (let c = cleanups.pop(); c; c = cleanups.pop()) await c();
}, 60_000);

describe.skipIf(unavailable !== undefined)('binlog mode while the database is away', () => {
  it('sections fail within seconds, heal within seconds of its return, and events flow', async () => {
    const socket = await connect(server.url);
    cleanups.push(() => socket.close());
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: SECTIONS });
    await vi.waitFor(() => expect(seen.latest('total')?.rows).toEqual([{ n: 0 }]), {
      timeout: 20_000,
    });
    await vi.waitFor(() => expect(server.stdout()).toMatch(/binlog feed verified/), {
      timeout: 20_000,
    });

    proxy.cut();
    const cutAt = Date.now();
    const toldMs = await waitForEachStatus(
      seen.statuses,
      SECTIONS,
      (status) => {
        expect(status?.healthy).toBe(false);
        expect(status?.warning).toMatch(/^the binlog connection is lost/);
      },
      WITHIN_MS,
    );

    await new Promise((resolve) => setTimeout(resolve, cutAt + OUTAGE_MS - Date.now()));
    proxy.restore();
    const healedMs = await waitForEachStatus(
      seen.statuses,
      SECTIONS,
      healthyAndUnwarned,
      WITHIN_MS,
    );

    await db.sql("INSERT INTO sales.events (note) VALUES ('after')");
    await vi.waitFor(() => expect(seen.latest('total')?.rows).toEqual([{ n: 1 }]), {
      timeout: 10_000,
    });
    console.info(`binlog, database away: told in ${toldMs} ms; healthy ${healedMs} ms after`);
  });
});
