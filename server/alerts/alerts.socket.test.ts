/**
 * Alerts through the real composition and stock socket.io-client connections: firing and
 * resolving, `for:`, `no change for`, `failing`, delivery on subscribe, the catalog, the metric.
 * Time-based rules are evaluated at once by `alerts.evaluateNow(t)` at a later time `t` rather than
 * waited for (faking Date would expire the sockets' heartbeats); the 1 s timer keeps running at
 * the real time, which is earlier, so it cannot fire them first.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AlertEvent } from '../../common/alerts.js';
import type { CatalogAck, PingAck, SubscribeAck } from '../../common/protocol.js';
import { request, type TestSocket } from '../../test/helpers/client.js';
import { ControlledSection } from '../../test/support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from '../../test/support/inProcessServer.js';

/** vi.waitFor with room for a loaded machine (its default gives up after 1 s). */
function eventually<T>(
  fn: () => T | Promise<T>,
  options: { timeout?: number; interval?: number } = {},
): Promise<T> {
  return vi.waitFor(fn, { timeout: 10_000, interval: 20, ...options });
}

const kpis = new ControlledSection(
  'kpis',
  [{ open_orders: 10 }],
  [{ name: 'open_orders', type: 'number' }],
);
const agents = new ControlledSection(
  'agents',
  [{ agent: 'Ann', open: 1 }],
  [
    { name: 'agent', type: 'string' },
    { name: 'open', type: 'number' },
  ],
);
const recent = new ControlledSection('recent', [{ id: 1 }], [{ name: 'id', type: 'number' }]);
const slow = new ControlledSection('slow');
let server: InProcessServer;

beforeAll(async () => {
  server = await startInProcessServer({
    sections: [kpis, agents, recent, slow],
    alerts: [
      {
        id: 'open-high',
        section: 'kpis',
        when: 'open_orders > 50',
        severity: 'warning',
        message: '{open_orders} orders are waiting',
      },
      {
        id: 'busy-agent',
        section: 'agents',
        when: 'open >= 5',
        severity: 'info',
        message: '{agent}: {open} open',
      },
      { id: 'quiet', section: 'recent', when: 'no change for 30m', severity: 'critical' },
      { id: 'slow-held', section: 'slow', when: 'v > 0', for: '2m', severity: 'warning' },
      { id: 'kpis-failing', section: 'kpis', when: 'failing', severity: 'critical' },
    ],
    dashboards: [{ id: 'floor', title: 'Sales floor', sections: ['kpis', 'agents'] }],
  });
  await eventually(() => expect(server.engine.snapshot('slow')).toBeDefined());
});
afterAll(() => server.close());

/** A client subscribed to these sections, collecting its alert events. */
async function subscriber(
  ...sections: string[]
): Promise<{ socket: TestSocket; alerts: AlertEvent[] }> {
  const socket = await server.client();
  const alerts: AlertEvent[] = [];
  socket.on('alert', (event) => alerts.push(event));
  const ack = await request<SubscribeAck>(socket, 'subscribe', { sections });
  expect(ack.ok).toBe(true);
  return { socket, alerts };
}

/** A round trip: what the server sent before its answer has arrived. */
async function flush(socket: TestSocket): Promise<void> {
  await request<PingAck>(socket, 'ping');
}

describe('alerts over Socket.IO', () => {
  it('the catalog lists the rules and the dashboards', async () => {
    const ack = await request<CatalogAck>(await server.client(), 'catalog');
    if (!ack.ok) throw new Error('catalog failed');
    expect(ack.alerts?.map((r) => r.id)).toEqual([
      'open-high',
      'busy-agent',
      'quiet',
      'slow-held',
      'kpis-failing',
    ]);
    expect(ack.alerts?.[3]).toEqual({
      id: 'slow-held',
      section: 'slow',
      when: 'v > 0',
      for: '2m',
      severity: 'warning',
    });
    expect(ack.dashboards).toEqual([
      { id: 'floor', title: 'Sales floor', sections: ['kpis', 'agents'] },
    ]);
  });

  it('fires to subscribers when a row matches, again on subscribe, and resolves', async () => {
    const watcher = await subscriber('kpis');
    const other = await subscriber('recent');
    kpis.rows = [{ open_orders: 61 }];
    server.change('kpis');
    const fired = await eventually(() => {
      const event = watcher.alerts.find((e) => e.id === 'open-high');
      expect(event).toBeDefined();
      return event;
    });
    expect(fired).toEqual({
      id: 'open-high',
      section: 'kpis',
      severity: 'warning',
      state: 'firing',
      value: 61,
      since: expect.any(String) as unknown,
      message: '61 orders are waiting',
    });
    expect(await server.metric('opsdeck_alerts_firing', { severity: 'warning' })).toBe(1);
    expect(await server.metric('opsdeck_alerts_fired_total', { severity: 'warning' })).toBe(1);

    // A client that subscribes now is told at once, after its snapshot.
    const late = await server.client();
    const order: string[] = [];
    late.on('update', (u) => order.push(`update ${u.section}`));
    late.on('alert', (a) => order.push(`alert ${a.id} ${a.state}`));
    await request<SubscribeAck>(late, 'subscribe', { sections: ['kpis'] });
    await eventually(() => expect(order).toEqual(['update kpis', 'alert open-high firing']));

    kpis.rows = [{ open_orders: 3 }];
    server.change('kpis');
    await eventually(() =>
      expect(watcher.alerts.map((e) => `${e.id} ${e.state}`)).toEqual([
        'open-high firing',
        'open-high resolved',
      ]),
    );
    expect(watcher.alerts[1]).toMatchObject({ value: 61, message: '61 orders are waiting' });
    expect(await server.metric('opsdeck_alerts_firing', { severity: 'warning' })).toBe(0);
    await flush(other.socket);
    expect(other.alerts).toEqual([]); // not subscribed to kpis
  });

  it('a multi-row section fires on any matching row, naming the first', async () => {
    const { alerts } = await subscriber('agents');
    agents.rows = [
      { agent: 'Ann', open: 1 },
      { agent: 'Bob', open: 6 },
      { agent: 'Cyd', open: 8 },
    ];
    server.change('agents');
    await eventually(() =>
      expect(alerts).toEqual([
        expect.objectContaining({
          id: 'busy-agent',
          state: 'firing',
          value: 6,
          message: 'Bob: 6 open',
        }),
      ]),
    );
  });

  it('for: fires only once the condition has held that long', async () => {
    const { socket, alerts } = await subscriber('slow');
    const start = Date.now();
    slow.rows = [{ v: 1 }];
    server.change('slow');
    await eventually(() => expect(server.engine.snapshot('slow')?.rows).toEqual([{ v: 1 }]));
    server.running.alerts.evaluateNow(start + 119_000);
    await flush(socket);
    expect(alerts).toEqual([]);
    const late = Date.now(); // the condition began to hold between start and now
    server.running.alerts.evaluateNow(late + 121_000);
    const fired = await eventually(() => {
      expect(alerts).toEqual([
        expect.objectContaining({ id: 'slow-held', state: 'firing', value: 1 }),
      ]);
      return alerts[0];
    });
    // Fired for: 2m after the condition began to hold.
    const since = Date.parse(fired?.since ?? '');
    expect(since).toBeGreaterThanOrEqual(start + 120_000);
    expect(since).toBeLessThanOrEqual(late + 120_000);
  });

  it('no change for: fires when the version has not changed that long, resolves on the next', async () => {
    const { socket, alerts } = await subscriber('recent');
    recent.rows = [{ id: 2 }];
    server.change('recent');
    await eventually(() => expect(server.engine.snapshot('recent')?.rows).toEqual([{ id: 2 }]));
    const changed = Date.now();
    server.running.alerts.evaluateNow(changed + 29 * 60_000);
    await flush(socket);
    expect(alerts).toEqual([]);
    server.running.alerts.evaluateNow(changed + 31 * 60_000);
    await eventually(() =>
      expect(alerts).toEqual([
        expect.objectContaining({
          id: 'quiet',
          state: 'firing',
          severity: 'critical',
          message: 'recent has not changed for 30m',
        }),
      ]),
    );
    expect(await server.metric('opsdeck_alerts_firing', { severity: 'critical' })).toBe(1);
    recent.rows = [{ id: 3 }];
    server.change('recent');
    await eventually(() => expect(alerts.map((e) => e.state)).toEqual(['firing', 'resolved']));
  });

  it('failing: fires while the query fails, with its error, and resolves when it works', async () => {
    const { alerts } = await subscriber('kpis');
    kpis.failWith = 'relation "orders" does not exist';
    server.change('kpis');
    await eventually(() =>
      expect(alerts).toEqual([
        expect.objectContaining({
          id: 'kpis-failing',
          state: 'firing',
          message: 'kpis is failing: relation "orders" does not exist',
        }),
      ]),
    );
    kpis.failWith = undefined;
    kpis.rows = [{ open_orders: 4 }];
    server.change('kpis');
    await eventually(() =>
      expect(alerts.map((e) => `${e.id} ${e.state}`)).toEqual([
        'kpis-failing firing',
        'kpis-failing resolved',
      ]),
    );
  });
});
