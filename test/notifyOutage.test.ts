/**
 * The database goes away while `opsdeck serve` runs in notify mode (a TCP proxy in front of the
 * shared PostgreSQL resets every connection and refuses new ones), and comes back. Nothing may
 * look live meanwhile: the sections fail (with the database's error) within seconds, not at the
 * next safety re-check, and carry the LISTEN warning; people read one line on standard output. Once
 * the database answers, every section is healthy and unwarned within seconds, not at the end of
 * its failure backoff, and changes flow again.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { notifyTriggerSql } from '../server/config/notifyTriggerSql.js';
import { connect, recorder, request, type TestSocket } from './helpers/client.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { healthyAndUnwarned, waitForEachStatus } from './helpers/sectionStatuses.js';
import { tableSection as section, writeServeConfig } from './helpers/serveConfig.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy.js';

const CHANNEL = 'opsdeck_outage_test';
const SECTIONS = ['orders', 'agents'];
/**
 * Long enough for a failing section's backoff to grow past 10 s (reads at 0, 1, 3, 7 and 15 s):
 * without the prompt retry, the first read after the outage would come about 15 s after it.
 */
const OUTAGE_MS = 16_000;
/** What "within seconds" means here: well under that backoff and the re-check. */
const TOLD_WITHIN_MS = 8000;

let db: TestDatabase;
let proxy: TcpProxy;
let server: OpsdeckProcess;
let socket: TestSocket;
let seen: ReturnType<typeof recorder>;
const cleanups: (() => unknown)[] = [];

await describeWithService('postgres', 'serve in notify mode while the database is away', () => {
  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.admin('CREATE TABLE agents (id serial PRIMARY KEY, name text NOT NULL)');
    await db.admin('CREATE TABLE orders (id serial PRIMARY KEY, total numeric NOT NULL)');
    await db.admin(notifyTriggerSql(CHANNEL, ['agents', 'orders']));
    proxy = await startTcpProxy(Number(new URL(db.url).port || 5432));
    cleanups.push(() => proxy.close());
    const written = writeServeConfig({
      database: { url: db.url.replace(/:\d+\//, `:${proxy.port}/`) },
      // The safety re-check is 10 minutes away: it cannot be what tells or heals.
      watch: { mode: 'notify', channel: CHANNEL, intervalMs: 600_000 },
      sections: [
        section('orders', 'SELECT count(*)::int AS n FROM orders', ['orders']),
        section('agents', 'SELECT count(*)::int AS n FROM agents', ['agents']),
      ],
    });
    cleanups.push(written.remove);
    server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
    cleanups.push(() => server.stop());
    socket = await connect(server.url);
    cleanups.push(() => socket.close());
    seen = recorder(socket);
    await request(socket, 'subscribe', { sections: SECTIONS });
    await vi.waitFor(() => {
      for (const id of SECTIONS) expect(seen.latest(id)?.rows).toEqual([{ n: 0 }]);
    });
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await db.drop();
  });

  it('sections fail within seconds of the database going away, and heal within seconds of its return', async () => {
    proxy.cut();
    const cutAt = Date.now();
    const toldMs = await waitForEachStatus(
      seen.statuses,
      SECTIONS,
      (status) => {
        expect(status?.healthy).toBe(false);
        expect(status?.warning).toMatch(/^the LISTEN connection is lost \(/);
      },
      TOLD_WITHIN_MS,
    );
    await vi.waitFor(() => expect(server.stdout()).toMatch(/database unreachable: postgres:\/\//));
    expect(server.stdout()).toContain('warning: notify feed: ');
    // The database's absence explains every failing section: no line per section.
    expect(server.stdout()).not.toMatch(/section \w+ failing/);

    await new Promise((resolve) => setTimeout(resolve, cutAt + OUTAGE_MS - Date.now()));
    proxy.restore();
    const healedMs = await waitForEachStatus(
      seen.statuses,
      SECTIONS,
      healthyAndUnwarned,
      TOLD_WITHIN_MS,
    );
    // Said by the reachability probe (every 5 s), which may come after the LISTEN reconnect.
    await vi.waitFor(() => expect(server.stdout()).toContain('database reachable: postgres://'), {
      timeout: 10_000,
    });

    // Changes are announced again: an insert arrives long before any re-check.
    await db.admin('INSERT INTO orders (total) VALUES (12.5)');
    await vi.waitFor(() => expect(seen.latest('orders')?.rows).toEqual([{ n: 1 }]), {
      timeout: 5000,
    });
    console.info(`database away: told in ${toldMs} ms; healthy ${healedMs} ms after its return`);
  });
});
