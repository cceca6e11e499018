/**
 * Graceful shutdown: clients are told, the process exits 0, and a stock socket.io-client reconnects
 * by itself when the server returns and resyncs with `have`, receiving only what changed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, expect, it } from 'vitest';
import type { SectionUpdate } from '../common/protocol.js';
import type { TestSocket } from './helpers/client.js';
import { waitFor } from './helpers/client.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-shutdown-'));
const db = join(dir, 'demo.db');
let server: OpsdeckProcess | undefined;
let socket: TestSocket | undefined;

afterAll(async () => {
  socket?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('tells clients, exits 0, and clients reconnect and resync when it is back', async () => {
  // --rate 0: no new orders, so few changes beyond the restart itself
  server = await startOpsdeck(['demo', '--port', '0', '--rate', '0', '--db', db]);
  const port = new URL(server.url).port;
  const client: TestSocket = io(server.url, {
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 200,
  });
  socket = client;
  const updates: SectionUpdate[] = [];
  const shutdowns: { reason: string }[] = [];
  const disconnects: string[] = [];
  let connects = 0;
  const have: Record<string, number> = {};
  client.on('update', (u) => {
    updates.push(u);
    have[u.section] = u.version;
  });
  client.on('server-shutdown', (info) => shutdowns.push(info));
  client.on('disconnect', (reason) => disconnects.push(reason));
  client.on('connect', () => {
    connects += 1;
    // what a console does on every (re)connect: subscribe with the versions it has
    void client.emitWithAck('subscribe', { sections: ['sales', 'agents'], have: { ...have } });
  });
  await waitFor('first snapshots', () => have.sales && have.agents);
  const before = updates.length;

  expect(await server.stop('SIGTERM')).toBe(0);
  await waitFor('the disconnect', () => disconnects.length > 0);
  expect(shutdowns).toEqual([{ reason: 'shutdown' }]);
  // not "io server disconnect", which would stop the client's automatic reconnection
  expect(disconnects[0]).toBe('transport close');

  server = await startOpsdeck(['demo', '--port', port, '--rate', '0', '--db', db]);
  await waitFor('automatic reconnection', () => connects === 2, 10_000);
  // The restarted server's versions are newer than any it gave out before, so the client's `have`
  // can never match rows it does not hold: both sections are resent, each exactly once.
  const resent = await waitFor('resync', () => {
    const r = updates.slice(before);
    return r.length >= 2 && r;
  });
  await new Promise((r) => setTimeout(r, 300));
  expect(
    updates
      .slice(before)
      .map((u) => u.section)
      .sort(),
  ).toEqual(['agents', 'sales']);
  for (const u of resent) expect(u.version).toBeGreaterThan(0);
  const first = updates.slice(0, before);
  for (const u of resent) {
    const old = first.filter((f) => f.section === u.section).at(-1)!;
    expect(u.version).toBeGreaterThan(old.version);
  }
});
