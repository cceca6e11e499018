/**
 * A client that stops reading must not grow the server's memory: once its queue is full it is
 * skipped, and when it reads again it receives the latest snapshot, not the backlog.
 */
import Database from 'better-sqlite3';
import type { Socket as NetSocket } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { connect, recorder, request, waitFor, type TestSocket } from './helpers/client.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { writeServeConfig } from './helpers/serveConfig.js';

const config = writeServeConfig({
  database: { url: 'sqlite:big.db', maxRows: 5000 },
  watch: { mode: 'poll', intervalMs: 60_000 },
  sections: [
    { id: 'big', title: 'Big', view: { type: 'table' }, sql: 'SELECT n, pad, v FROM big' },
  ],
});
const db = new Database(`${config.dir}/big.db`);
db.exec('CREATE TABLE big (n INTEGER PRIMARY KEY, pad TEXT, v INTEGER); ');
const fill = db.prepare('INSERT INTO big (pad, v) VALUES (?, 0)');
db.transaction(() => {
  for (let i = 0; i < 3000; i++) fill.run('x'.repeat(100)); // ~400 KB per snapshot
})();
const bump = db.prepare('UPDATE big SET v = v + 1');

let server: OpsdeckProcess | undefined;
const sockets: TestSocket[] = [];

afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.stop();
  db.close();
  config.remove();
});

/** The TCP socket under a socket.io-client websocket connection (Node's ws client). */
function tcpOf(socket: TestSocket): NetSocket {
  const engine = socket.io.engine as unknown as { transport: { ws: { _socket: NetSocket } } };
  return engine.transport.ws._socket;
}

it('skips a stalled client and gives it the latest snapshot when it reads again', async () => {
  server = await startOpsdeck(['serve', '--config', config.file, '--port', '0']);
  const slow = await connect(server.url);
  const fast = await connect(server.url);
  sockets.push(slow, fast);
  const slowSeen = recorder(slow);
  const fastSeen = recorder(fast);
  await request(slow, 'subscribe', { sections: ['big'] });
  await request(fast, 'subscribe', { sections: ['big'] });
  await waitFor('first snapshots', () => slowSeen.latest('big') && fastSeen.latest('big'));

  tcpOf(slow).pause(); // stop reading: the kernel buffers fill, then the server's queue
  let writes = 0;
  const deadline = Date.now() + 20_000;
  for (;;) {
    bump.run();
    writes += 1;
    await new Promise((r) => setTimeout(r, 300)); // the data_version watcher ticks at 4 Hz
    const text = await scrape(server.url);
    if (metricValue(text, 'opsdeck_skipped_updates_total') >= 3) break;
    if (Date.now() > deadline) throw new Error(`no client was skipped after ${writes} changes`);
  }
  const text = await scrape(server.url);
  expect(metricValue(text, 'opsdeck_slow_clients')).toBe(1);
  // the other client is unaffected: it has every change
  await waitFor('fast client current', () => fastSeen.latest('big')?.rows[0]?.v === writes);

  const receivedBefore = slowSeen.updates.length;
  tcpOf(slow).resume();
  await waitFor('slow client current', () => slowSeen.latest('big')?.rows[0]?.v === writes, 15_000);
  // it got the backlog that was already queued plus the latest, never every version
  expect(slowSeen.updates.length - receivedBefore).toBeLessThan(writes);
  expect(fastSeen.updates.length).toBeGreaterThan(slowSeen.updates.length);
  expect(metricValue(await scrape(server.url), 'opsdeck_slow_clients')).toBe(0);
}, 60_000);
