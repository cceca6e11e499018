/**
 * `verify`, `update.hash` and `showSql` over real sockets: `opsdeck serve` processes on a SQLite
 * file (one with showSql per section, one with the top-level switch), stock socket.io-client
 * connections; and two in-process cluster nodes on the real Redis, for "the same hash on every
 * node". The hash is recomputed from the algorithm docs/socketio.md states (helpers/documentedHash),
 * independently of server/sections/canonicalHash.ts.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CatalogAck, SectionUpdate, VerifyAck } from '../common/protocol.js';
import { connect, recorder, request, type TestSocket } from './helpers/client.js';
import { createItemsDatabase, tempDir, type TempDir } from './helpers/cliFixtures.js';
import { documentedHash } from './helpers/documentedHash.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { writeServeConfig } from './helpers/serveConfig.js';
import { deleteClusterKeys, SHARED_REDIS } from './cluster/helpers/fixture.js';
import { changeRows, startPair, type InProcessNode } from './cluster/helpers/inProcessNodes.js';
import { describeCluster } from './cluster/helpers/requirements.js';
import { ControlledSection } from './support/controlledSection.js';
import { startInProcessServer } from './support/inProcessServer.js';

const ITEMS_SQL = 'SELECT id, name, qty FROM items ORDER BY id';
const COUNT_SQL = 'SELECT count(*) AS n FROM items';

let dir: TempDir;
let dbFile: string;
const servers: OpsdeckProcess[] = [];
const sockets: TestSocket[] = [];
const removals: (() => void)[] = [];

async function serve(config: object): Promise<OpsdeckProcess> {
  const written = writeServeConfig({ database: { url: `sqlite:${dbFile}` }, ...config });
  removals.push(written.remove);
  const server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
  servers.push(server);
  return server;
}

async function client(server: OpsdeckProcess): Promise<TestSocket> {
  const socket = await connect(server.url);
  sockets.push(socket);
  return socket;
}

/** Subscribes and resolves with the first update of the section. */
async function firstUpdate(socket: TestSocket, section: string): Promise<SectionUpdate> {
  const seen = recorder(socket);
  await request(socket, 'subscribe', { sections: [section] });
  return vi.waitFor(
    () => {
      const update = seen.latest(section);
      if (!update) throw new Error(`no update of ${section} yet`);
      return update;
    },
    { timeout: 20_000, interval: 20 },
  );
}

const verify = (socket: TestSocket, payload: unknown) =>
  request<VerifyAck>(socket, 'verify', payload);

beforeAll(() => {
  dir = tempDir('opsdeck-verify-');
  dbFile = join(dir.path, 'items.db');
  createItemsDatabase(dbFile);
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  for (const server of servers) await server.stop();
  for (const remove of removals) remove();
  dir.remove();
});

describe('update.hash and verify, over a real serve process', () => {
  let server: OpsdeckProcess;
  beforeAll(async () => {
    server = await serve({
      watch: { mode: 'poll', intervalMs: 200 },
      sections: [
        { id: 'items', title: 'Items', view: { type: 'table' }, sql: ITEMS_SQL, showSql: true },
        { id: 'count', title: 'Count', view: { type: 'stat', y: ['n'] }, sql: COUNT_SQL },
      ],
    });
  });

  it('sends the canonical hash of the rows as text with every update', async () => {
    const update = await firstUpdate(await client(server), 'items');
    expect(update.rows).toEqual([
      { id: 1, name: 'anvil', qty: 3 },
      { id: 2, name: 'bucket', qty: 7 },
      { id: 3, name: 'chisel', qty: 11 },
    ]);
    expect(update.hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(update.hash).toBe(
      documentedHash(update.columns, update.rows, update.truncated === true),
    );
  });

  it('answers current: true for the version and hash it holds, false once the rows change', async () => {
    const socket = await client(server);
    const seen = recorder(socket);
    const first = await firstUpdate(socket, 'items');
    const held = { section: 'items', version: first.version, hash: first.hash };
    expect(await verify(socket, held)).toEqual({ ok: true, current: true });
    // The right version with any other hash is not current: an altered file does not verify.
    expect(await verify(socket, { ...held, hash: `${first.hash}x` })).toEqual({
      ok: true,
      current: false,
    });
    expect(await verify(socket, { ...held, version: first.version + 1 })).toEqual({
      ok: true,
      current: false,
    });

    const db = new Database(dbFile);
    try {
      db.prepare('INSERT INTO items (id, name, qty) VALUES (?, ?, ?)').run(4, 'drill', 1);
    } finally {
      db.close();
    }
    const next = await vi.waitFor(
      () => {
        const update = seen.latest('items');
        if (!update || update.version === first.version) throw new Error('no new version yet');
        return update;
      },
      { timeout: 20_000, interval: 20 },
    );
    expect(next.hash).not.toBe(first.hash);
    expect(next.hash).toBe(documentedHash(next.columns, next.rows, false));
    expect(await verify(socket, held)).toEqual({ ok: true, current: false });
    expect(
      await verify(socket, { section: 'items', version: next.version, hash: next.hash }),
    ).toEqual({ ok: true, current: true });
  });

  it('answers bad input with bad_request and an unknown section with unknown_section', async () => {
    const socket = await client(server);
    const bad: unknown[] = [
      undefined,
      'items',
      { section: 'items', version: 1 },
      { section: 'items', version: 0, hash: 'h' },
      { section: 'items', version: 1.5, hash: 'h' },
      { section: 'items', version: '1', hash: 'h' },
      { section: 'items', version: 1, hash: '' },
      { section: 'items', version: 1, hash: 'h'.repeat(129) },
      { section: 'items', version: 1, hash: 'h', extra: true },
      { section: 'ITEMS; drop', version: 1, hash: 'h' },
    ];
    for (const payload of bad) {
      const ack = await verify(socket, payload);
      expect(ack.ok ? 'ok' : ack.error.code, JSON.stringify(payload)).toBe('bad_request');
    }
    const unknown = await verify(socket, { section: 'nope', version: 1, hash: 'h' });
    expect(unknown).toEqual({
      ok: false,
      error: { code: 'unknown_section', message: 'unknown section: nope' },
    });
    // Nothing of that hurt the connection.
    expect(socket.connected).toBe(true);
    expect((await request<{ ok: boolean }>(socket, 'ping')).ok).toBe(true);
  });

  it('is rate-limited like every other event', async () => {
    const socket = await client(server);
    const acks = await Promise.all(
      Array.from({ length: 120 }, () =>
        verify(socket, { section: 'items', version: 1, hash: 'h' }),
      ),
    );
    const codes = new Set(acks.map((a) => (a.ok ? 'ok' : a.error.code)));
    expect(codes).toContain('rate_limited');
    expect(codes).toContain('ok');
  });

  it('lists the SQL only for the sections that allow it (showSql), never for $cluster', async () => {
    const ack = await request<CatalogAck>(await client(server), 'catalog');
    if (!ack.ok) throw new Error(ack.error.message);
    const sql = Object.fromEntries(ack.sections.map((s) => [s.id, s.sql]));
    expect(sql).toEqual({ items: ITEMS_SQL, count: undefined, $cluster: undefined });
    expect(ack.sections.find((s) => s.id === 'count')).not.toHaveProperty('sql');
  });

  it('also answers GET /api/sections with the same SQL rules', async () => {
    const body = (await (await fetch(`${server.url}/api/sections`)).json()) as {
      sections: { id: string; sql?: string }[];
    };
    expect(body.sections.map((s) => [s.id, s.sql ?? null])).toEqual([
      ['items', ITEMS_SQL],
      ['count', null],
      ['$cluster', null],
    ]);
  });
});

describe('showSql at the top level', () => {
  it('shows every configured section’s SQL but the ones that say false, and never $cluster’s', async () => {
    const server = await serve({
      showSql: true,
      sections: [
        { id: 'items', title: 'Items', view: { type: 'table' }, sql: ITEMS_SQL },
        { id: 'count', title: 'Count', view: { type: 'stat' }, sql: COUNT_SQL, showSql: false },
      ],
    });
    const ack = await request<CatalogAck>(await client(server), 'catalog');
    if (!ack.ok) throw new Error(ack.error.message);
    expect(ack.sections.map((s) => [s.id, s.sql ?? null])).toEqual([
      ['items', ITEMS_SQL],
      ['count', null],
      ['$cluster', null],
    ]);
  });
});

const NAME = `verify-${process.pid}-${randomBytes(3).toString('hex')}`;
const CLUSTER = { redisUrl: SHARED_REDIS, name: NAME, leaseTtlMs: 1000 };

await describeCluster('the hash in a cluster', { services: ['redis'] }, () => {
  const nodes: InProcessNode[] = [];
  const start = async (): Promise<InProcessNode> => {
    const section = new ControlledSection(
      'queue',
      [{ waiting: 1 }],
      [{ name: 'waiting', type: 'number' }],
    );
    const node = {
      server: await startInProcessServer({ sections: [section], cluster: CLUSTER }),
      section,
    };
    nodes.push(node);
    return node;
  };

  afterAll(async () => {
    for (const n of nodes) await n.server.close();
    await deleteClusterKeys(SHARED_REDIS, NAME);
  });

  it('is the same on every node, and verifies on every node', async () => {
    const [leader, follower] = await startPair(start);
    const onLeader = await leader.server.client();
    const onFollower = await follower.server.client();
    const seenLeader = recorder(onLeader);
    const seenFollower = recorder(onFollower);
    await request(onLeader, 'subscribe', { sections: ['queue'] });
    await request(onFollower, 'subscribe', { sections: ['queue'] });
    changeRows(nodes, leader, [{ waiting: 42 }]);
    const [a, b] = await vi.waitFor(
      () => {
        const x = seenLeader.latest('queue');
        const y = seenFollower.latest('queue');
        expect(x?.rows).toEqual([{ waiting: 42 }]);
        expect(y?.rows).toEqual([{ waiting: 42 }]);
        return [x, y] as [SectionUpdate, SectionUpdate];
      },
      { timeout: 15_000, interval: 20 },
    );
    expect(b.version).toBe(a.version);
    expect(b.hash).toBe(a.hash);
    expect(a.hash).toBe(documentedHash(a.columns, a.rows, false));
    const held = { section: 'queue', version: a.version, hash: a.hash };
    expect(await verify(onFollower, held)).toEqual({ ok: true, current: true });
    expect(await verify(onLeader, held)).toEqual({ ok: true, current: true });
    // A node that joins later has it from Redis, hash included.
    const late = await start();
    const onLate = await late.server.client();
    const fromRedis = await firstUpdate(onLate, 'queue');
    expect(fromRedis).toMatchObject({ version: a.version, hash: a.hash });
    expect(await verify(onLate, held)).toEqual({ ok: true, current: true });
  });
});
