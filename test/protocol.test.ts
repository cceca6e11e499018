/**
 * The Socket.IO protocol of docs/socketio.md against a real `opsdeck demo` process, with stock
 * socket.io-client connections over real sockets.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogAck, SubscribeAck, UnsubscribeAck } from '../common/protocol.js';
import { connect, recorder, request, waitFor, type TestSocket } from './helpers/client.js';
import { createItemsDatabase } from './helpers/cliFixtures.js';
import { DemoServer } from './helpers/demoServer.js';
import { startOpsdeck } from './helpers/opsdeckProcess.js';
import { tableSection, writeServeConfig } from './helpers/serveConfig.js';
import { metricValue, promtoolProblems, scrape } from './helpers/metrics.js';

const DEMO_SECTIONS = ['kpis', 'sales', 'agents', 'recent', '$cluster'];

let demo: DemoServer;

async function client(): Promise<TestSocket> {
  return demo.connect();
}

beforeAll(async () => {
  // 600 orders a minute: a new order every 100 ms on average, so changes arrive quickly.
  demo = await DemoServer.start({ seed: 'protocol', rate: 600 });
});

afterAll(async () => {
  await demo.stop();
});

describe('catalog', () => {
  it('describes the server and every demo section', async () => {
    const ack = await request<CatalogAck>(await client(), 'catalog');
    if (!ack.ok) throw new Error(ack.error.message);
    expect(ack.server).toMatchObject({ name: 'opsdeck', clusterSize: 1 });
    expect(ack.server.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(ack.server.nodeId).toEqual(expect.any(String));
    expect(ack.sections.map((s) => s.id)).toEqual(DEMO_SECTIONS);
    expect(ack.sections.find((s) => s.id === 'sales')).toMatchObject({
      view: { type: 'line', x: 'day', y: ['revenue', 'orders'] },
      mode: 'push',
    });
    expect(ack.sections.find((s) => s.id === '$cluster')?.view.type).toBe('table');
    // The demo's SQL is no secret (Inspect shows it); $cluster has none.
    expect(ack.sections.find((s) => s.id === 'recent')?.sql).toMatch(/^SELECT o\.id/);
    expect(ack.sections.find((s) => s.id === '$cluster')?.sql).toBeUndefined();
  });
});

describe('ping (extension)', () => {
  it('answers with the server clock', async () => {
    const before = Date.now();
    const ack = await request<{ ok: boolean; serverTime: number }>(await client(), 'ping');
    expect(ack.ok).toBe(true);
    expect(ack.serverTime).toBeGreaterThanOrEqual(before - 1000);
    expect(ack.serverTime).toBeLessThanOrEqual(Date.now() + 1000);
  });
});

describe('subscribe', () => {
  it('sends one update per section, then live updates as orders arrive', async () => {
    const socket = await client();
    const seen = recorder(socket);
    const ack = await request<SubscribeAck>(socket, 'subscribe', { sections: DEMO_SECTIONS });
    expect(ack).toEqual({ ok: true, sections: DEMO_SECTIONS });
    await waitFor('an update for every section', () =>
      DEMO_SECTIONS.every((id) => seen.latest(id)),
    );

    const recent = seen.latest('recent')!;
    expect(recent.columns.map((c) => c.name)).toEqual([
      'id',
      'customer_name',
      'agent',
      'total',
      'status',
      'created_at',
    ]);
    expect(recent.columns.find((c) => c.name === 'created_at')?.type).toBe('time');
    expect(recent.columns.find((c) => c.name === 'total')?.type).toBe('number');
    expect(recent.rows).toHaveLength(10);
    expect(recent.rows[0]?.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(recent.version).toBeGreaterThan(0);
    expect(Date.parse(recent.queriedAt)).toBeGreaterThanOrEqual(Date.parse(recent.changedAt));
    expect(seen.latest('sales')?.rows).toHaveLength(30);
    expect(seen.latest('$cluster')?.rows).toHaveLength(1);
    expect(seen.latest('$cluster')?.rows[0]).toMatchObject({
      leader: true,
      pid: demo.process.child.pid,
    });

    const firstRecent = recent.version;
    const firstKpis = seen.latest('kpis')!.version;
    await waitFor('recent and kpis to change', () => {
      const r = seen.latest('recent');
      const k = seen.latest('kpis');
      return r && k && r.version > firstRecent && k.version > firstKpis;
    });
    // versions of one section only ever go up
    const versions = seen.updates.filter((u) => u.section === 'recent').map((u) => u.version);
    versions.forEach((v, i) => i > 0 && expect(v).toBeGreaterThan(versions[i - 1]!));
  });

  it('with have: resends only the sections whose version differs', async () => {
    const first = await client();
    const seen = recorder(first);
    await request(first, 'subscribe', { sections: ['sales', 'agents'] });
    await waitFor('sales and agents', () => seen.latest('sales') && seen.latest('agents'));
    const sales = seen.latest('sales')!;

    const second = await client();
    const seen2 = recorder(second);
    await request(second, 'subscribe', {
      sections: ['sales', 'agents'],
      have: { sales: sales.version, agents: 0 },
    });
    await waitFor('agents', () => seen2.latest('agents'));
    await new Promise((r) => setTimeout(r, 150));
    // sales may legitimately have moved on meanwhile; then only a newer version may arrive
    for (const u of seen2.updates.filter((x) => x.section === 'sales'))
      expect(u.version).toBeGreaterThan(sales.version);
  });

  it('subscribing twice joins once: every later version arrives exactly once', async () => {
    const socket = await client();
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['kpis'] });
    await waitFor('kpis', () => seen.latest('kpis'));
    await request(socket, 'subscribe', {
      sections: ['kpis', 'kpis'],
      have: { kpis: seen.latest('kpis')!.version },
    });
    // The re-subscribe may itself send the version current at that instant (if one was published
    // meanwhile); from then on, each new version must arrive once, not once per subscribe.
    await new Promise((r) => setTimeout(r, 150));
    const after = seen.latest('kpis')!.version;
    await waitFor(
      'two newer kpis versions',
      () => seen.updates.filter((u) => u.section === 'kpis' && u.version > after).length >= 2,
    );
    const later = seen.updates
      .filter((u) => u.section === 'kpis' && u.version > after)
      .map((u) => u.version);
    expect(new Set(later).size).toBe(later.length);
  });

  it('unknown sections are refused with unknown_section and nothing is subscribed', async () => {
    const socket = await client();
    const seen = recorder(socket);
    const ack = await request<SubscribeAck>(socket, 'subscribe', { sections: ['kpis', 'nope'] });
    expect(ack).toEqual({
      ok: false,
      error: { code: 'unknown_section', message: 'unknown section: nope' },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.updates).toEqual([]);
  });
});

describe('unsubscribe', () => {
  it('stops updates for that section only', async () => {
    const socket = await client();
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['recent', 'kpis'] });
    await waitFor('both', () => seen.latest('recent') && seen.latest('kpis'));
    const ack = await request<UnsubscribeAck>(socket, 'unsubscribe', { sections: ['recent'] });
    expect(ack).toEqual({ ok: true });
    const count = seen.updates.filter((u) => u.section === 'recent').length;
    const kpis = seen.latest('kpis')!.version;
    await waitFor('kpis to keep changing', () => seen.latest('kpis')!.version > kpis);
    expect(seen.updates.filter((u) => u.section === 'recent').length).toBe(count);
    expect(await request(socket, 'unsubscribe', { sections: ['nope'] })).toMatchObject({
      ok: false,
      error: { code: 'unknown_section' },
    });
  });
});

describe('malformed payloads', () => {
  const bad: [string, unknown[]][] = [
    ['subscribe', []],
    ['subscribe', [null]],
    ['subscribe', ['kpis']],
    ['subscribe', [{}]],
    ['subscribe', [{ sections: [] }]],
    ['subscribe', [{ sections: 'kpis' }]],
    ['subscribe', [{ sections: [42] }]],
    ['subscribe', [{ sections: ['KPIS!'] }]],
    ['subscribe', [{ sections: ['kpis'], have: { kpis: -1 } }]],
    ['subscribe', [{ sections: ['kpis'], have: { kpis: 'x' } }]],
    ['subscribe', [{ sections: ['kpis'], have: [] }]],
    ['subscribe', [{ sections: ['kpis'], extra: true }]],
    ['subscribe', [{ sections: Array.from({ length: 1000 }, () => 'kpis') }]],
    ['unsubscribe', []],
    ['unsubscribe', [{ sections: {} }]],
    ['unsubscribe', [[1, 2, 3]]],
    ['no-such-event', [{}]],
  ];

  it.each(bad)('%s %j gets bad_request and the connection stays usable', async (event, args) => {
    const socket = await client();
    const ack = await request<{ ok: boolean; error?: { code: string; message: string } }>(
      socket,
      event,
      ...args,
    );
    expect(ack.ok).toBe(false);
    expect(ack.error?.code).toBe('bad_request');
    expect(ack.error?.message.length).toBeGreaterThan(0);
    expect(socket.connected).toBe(true);
    const catalog = await request<CatalogAck>(socket, 'catalog');
    expect(catalog.ok).toBe(true);
  });

  it('events without an acknowledgement are ignored, never crash the server', async () => {
    const socket = await client();
    const raw = socket as unknown as { emit(e: string, ...a: unknown[]): void };
    raw.emit('subscribe', { sections: ['kpis'] });
    raw.emit('subscribe');
    raw.emit('catalog', 1, 2, 3);
    raw.emit('unsubscribe', null);
    const catalog = await request<CatalogAck>(socket, 'catalog', 'ignored payload');
    expect(catalog.ok).toBe(true);
    const res = await fetch(`${demo.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe('rate limit', () => {
  it('answers rate_limited past the burst without affecting other clients', async () => {
    const noisy = await client();
    const quiet = await client();
    const acks = await Promise.all(
      Array.from({ length: 120 }, () =>
        request<{ ok: boolean; error?: { code: string } }>(noisy, 'catalog'),
      ),
    );
    const limited = acks.filter((a) => !a.ok);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((a) => a.error?.code === 'rate_limited')).toBe(true);
    expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(40);
    expect((await request<CatalogAck>(quiet, 'catalog')).ok).toBe(true);
    // the bucket refills
    await new Promise((r) => setTimeout(r, 600));
    expect((await request<CatalogAck>(noisy, 'catalog')).ok).toBe(true);
  });
});

describe('external writes', () => {
  it('a row inserted by another process (the sqlite3 shell) reaches subscribers within a second', async () => {
    const socket = await client();
    const seen = recorder(socket);
    await request(socket, 'subscribe', { sections: ['recent'] });
    await waitFor('recent', () => seen.latest('recent'));
    const now = new Date(Date.now() + 60_000).toISOString(); // newest by created_at
    const started = Date.now();
    execFileSync('sqlite3', [
      demo.file('demo.db'),
      `PRAGMA busy_timeout=2000; INSERT INTO orders (agent_id, customer_name, total, status, created_at) VALUES (1, 'Shell Test Customer', 4242.42, 'open', '${now}');`,
    ]);
    const update = await waitFor(
      'the shell row',
      () =>
        seen.updates.find(
          (u) =>
            u.section === 'recent' && u.rows.some((r) => r.customer_name === 'Shell Test Customer'),
        ),
      3000,
    );
    expect(update.rows[0]).toMatchObject({ customer_name: 'Shell Test Customer', total: 4242.42 });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('load independence', () => {
  it('subscribing 200 clients causes no queries at all', async () => {
    // A quiet server (SQLite, poll period far beyond the test, no simulated floor): after its
    // first read, nothing but a subscriber could cause a query, so the count must not move.
    createItemsDatabase(demo.file('quiet.db'));
    const written = writeServeConfig({
      database: { url: `sqlite:${demo.file('quiet.db')}` },
      watch: { mode: 'poll', intervalMs: 3_600_000 },
      sections: [tableSection('items', 'SELECT id, name, qty FROM items ORDER BY id')],
    });
    const quiet = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
    try {
      const queries = async () =>
        metricValue(await scrape(quiet.url), 'opsdeck_section_queries_total', { section: 'items' });
      const first = await connect(quiet.url);
      const seen = recorder(first);
      await request(first, 'subscribe', { sections: ['items'] });
      await waitFor('the first snapshot', () => seen.latest('items'));
      const before = await queries();
      expect(before).toBe(1);
      const many = await Promise.all(Array.from({ length: 200 }, () => connect(quiet.url)));
      const got = many.map((s) => recorder(s));
      const acks = await Promise.all(
        many.map((s) => request<SubscribeAck>(s, 'subscribe', { sections: ['items'] })),
      );
      expect(acks.every((a) => a.ok)).toBe(true);
      // Every subscriber got the current snapshot, from memory: the same version, no new query.
      await waitFor('the snapshot on all 200', () => got.every((g) => g.latest('items')));
      expect(new Set(got.map((g) => g.latest('items')?.version))).toEqual(
        new Set([seen.latest('items')?.version]),
      );
      expect(metricValue(await scrape(quiet.url), 'opsdeck_connected_clients')).toBe(201);
      expect(await queries()).toBe(before);
      for (const s of [first, ...many]) s.close();
    } finally {
      await quiet.stop();
      written.remove();
    }
  });
});

describe('HTTP endpoints', () => {
  it('serves /healthz, /readyz, /api/sections and valid Prometheus /metrics', async () => {
    expect(await (await fetch(`${demo.url}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${demo.url}/readyz`)).json()).toEqual({ ok: true });
    const catalog = (await (await fetch(`${demo.url}/api/sections`)).json()) as {
      ok: boolean;
      sections: { id: string }[];
    };
    expect(catalog.ok).toBe(true);
    expect(catalog.sections.map((s) => s.id)).toEqual(DEMO_SECTIONS);
    const text = await scrape(demo.url);
    for (const name of [
      'opsdeck_connected_clients',
      'opsdeck_section_queries_total',
      'opsdeck_section_updates_total',
      'opsdeck_messages_sent_total',
      'opsdeck_update_lag_seconds_bucket',
      'opsdeck_is_leader',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(name);
    }
    expect(metricValue(text, 'opsdeck_is_leader')).toBe(1);
    expect(metricValue(text, 'opsdeck_messages_sent_total')).toBeGreaterThan(0);
    expect(promtoolProblems(text)).toBeUndefined();
    expect((await fetch(`${demo.url}/nope`)).status).toBe(404);
    expect((await fetch(`${demo.url}/healthz`, { method: 'POST' })).status).toBe(405);
  });
});
