/**
 * `opsdeck demo` start-up through a real process: it listens before it writes the history of a new
 * database (docs/demo.md, "History"), and nothing it serves meanwhile pretends otherwise.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SubscribeAck } from '../common/protocol.js';
import { connect, recorder, request, waitFor, type TestSocket } from './helpers/client.js';
import { ProcessPool, tempDir, type TempDir } from './helpers/cliFixtures.js';

const servers = new ProcessPool();
const sockets: TestSocket[] = [];
let dir: TempDir;

beforeAll(() => {
  dir = tempDir('opsdeck-demo-startup-');
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await servers.stopAll();
  dir.remove();
});

it('answers at once; /readyz is 503 with the reason until the history is written, then 200', async () => {
  const server = await servers.start([
    'demo',
    '--port',
    '0',
    '--rate',
    '0',
    '--db',
    dir.file('ready.db'),
  ]);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const answers: { status: number; body: unknown }[] = [];
  await waitFor(
    '/readyz 200',
    async () => {
      const res = await fetch(`${server.url}/readyz`);
      answers.push({ status: res.status, body: await res.json() });
      return res.status === 200;
    },
    15_000,
    5,
  );
  const waiting = { ok: false, reason: 'demo database: writing 30 days of sales history' };
  for (const answer of answers.slice(0, -1)) expect(answer).toEqual({ status: 503, body: waiting });
  expect(answers.at(-1)).toEqual({ status: 200, body: { ok: true } });
});

it('the sections carry the whole history from their very first update', async () => {
  const file = dir.file('sections.db');
  const server = await servers.start(['demo', '--port', '0', '--rate', '0', '--db', file]);
  // Subscribed as early as possible: while the history is being written, if it still is.
  const socket = await connect(server.url);
  sockets.push(socket);
  const seen = recorder(socket);
  const ack = await request<SubscribeAck>(socket, 'subscribe', {
    sections: ['kpis', 'sales', 'agents', 'recent'],
  });
  expect(ack.ok).toBe(true);
  await waitFor('a first update of every section', () =>
    ['kpis', 'sales', 'agents', 'recent'].every((id) => seen.latest(id)),
  );

  const db = new Database(file, { readonly: true });
  let orders: number;
  try {
    orders = db.prepare('SELECT count(*) FROM orders').pluck().get() as number;
  } finally {
    db.close();
  }
  expect(orders).toBeGreaterThan(5_000); // 30 days of 250-750 orders (today only partly)
  const first = (id: string) => seen.updates.find((u) => u.section === id);
  // --rate 0: no order arrives after the history, so the first `sales` counts all of them.
  const perDay = first('sales')?.rows.map((row) => Number(row.orders)) ?? [];
  expect(perDay).toHaveLength(30);
  expect(perDay.reduce((a, b) => a + b, 0)).toBe(orders);
  expect(first('recent')?.rows).toHaveLength(10);
  expect(seen.statuses.filter((s) => !s.healthy)).toEqual([]);
});
