/**
 * The console's push client against a real `opsdeck demo` process over real sockets: catalog,
 * subscriptions, round trips, token refusal, unreachable servers, and a dropped connection that
 * resyncs with `have` so that only changed sections are resent.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/client.js';
import { startOpsdeck, type OpsdeckProcess } from '../../test/helpers/opsdeckProcess.js';
import { startTcpProxy, type TcpProxy } from '../../test/helpers/tcpProxy.js';
import { PushClient } from './PushClient.js';

const TOKEN = 'console-test-token';
let server: OpsdeckProcess;
let proxy: TcpProxy;
const clients: PushClient[] = [];

function client(): PushClient {
  const c = new PushClient({ retry: { initialMs: 100, maxMs: 400 }, pingEveryMs: 200 });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startOpsdeck(['demo', '--port', '0', '--rate', '0', '--token', TOKEN]);
  proxy = await startTcpProxy(Number(new URL(server.url).port));
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await proxy.close();
  await server.stop();
});

describe('PushClient', () => {
  it('connects, reads the catalog, receives every section and measures the round trip', async () => {
    const c = client();
    c.connect({ id: 'a', name: 'demo', url: server.url, token: TOKEN });
    expect(c.connection.get().phase).toBe('connecting');
    await waitFor('connected', () => c.connection.get().phase === 'connected');
    expect(c.connection.get().server).toMatchObject({ name: 'opsdeck', clusterSize: 1 });
    await waitFor('all sections', () => {
      const s = c.sections.get();
      return s.order.length === 4 && s.order.every((id) => s.byId[id]?.update);
    });
    expect(c.sections.get().order).toEqual(['kpis', 'sales', 'agents', 'recent']);
    await waitFor('cluster node', () => c.cluster.get().nodes.length === 1);
    expect(c.cluster.get().nodes[0]?.leader).toBe(true);
    await waitFor('rtt', () => c.connection.get().rttMs !== undefined);
    expect(c.connection.get().rttMs).toBeLessThan(1000);
    expect(Math.abs(c.connection.get().clockOffsetMs)).toBeLessThan(1000); // same machine
  });

  it('stops retrying when the token is refused', async () => {
    const c = client();
    c.connect({ id: 'b', name: 'demo', url: server.url, token: 'wrong-token-000' });
    await waitFor('unauthorized', () => c.connection.get().phase === 'unauthorized');
    const state = c.connection.get();
    expect(state.nextRetryAt).toBeUndefined();
    expect(state.lastError).toBe('the server refused the token');
    await new Promise((r) => setTimeout(r, 500));
    expect(c.connection.get().phase).toBe('unauthorized');
  });

  it('keeps retrying an unreachable server with growing delays', async () => {
    const c = client();
    c.connect({ id: 'c', name: 'nowhere', url: 'http://127.0.0.1:1' });
    await waitFor('second attempt', () => c.connection.get().attempt >= 2);
    const state = c.connection.get();
    expect(state.phase).toBe('unreachable');
    expect(state.lastError).toBe('the server cannot be reached');
    expect(state.disconnectedSince).toBeDefined();
    c.disconnect();
    expect(c.connection.get().phase).toBe('idle');
  });

  it('after a dropped connection, resubscribes with have: unchanged sections are not resent', async () => {
    const c = client();
    c.connect({ id: 'd', name: 'via proxy', url: `http://127.0.0.1:${proxy.port}`, token: TOKEN });
    await waitFor('all sections', () => {
      const s = c.sections.get();
      return s.order.length === 4 && s.order.every((id) => s.byId[id]?.update);
    });
    const versions = () =>
      Object.fromEntries(
        c.sections.get().order.map((id) => [id, c.sections.get().byId[id]?.receivedAt]),
      );
    const before = versions();

    proxy.cut();
    await waitFor('reconnecting', () => c.connection.get().phase === 'reconnecting');
    expect(c.connection.get().disconnectedSince).toBeDefined();
    proxy.restore();
    await waitFor('connected again', () => c.connection.get().phase === 'connected', 5000);
    expect(c.connection.get().disconnectedSince).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    // --rate 0 and a quiet floor: nothing changed, so nothing was resent
    const after = versions();
    const resent = Object.keys(after).filter((id) => after[id] !== before[id]);
    expect(resent.length).toBeLessThan(Object.keys(after).length);
    for (const id of resent) {
      // a section may legitimately have changed meanwhile (an open order closing); then it is newer
      expect(c.sections.get().byId[id]?.previous?.version).toBeLessThan(
        c.sections.get().byId[id]!.update!.version,
      );
    }
  });
});

describe('PushClient.wake (resume, unlock, network change)', () => {
  it('drops a connection that looks fine, shows stale until the resync lands, resyncs with have', async () => {
    let sockets = 0;
    const c = new PushClient({
      pingEveryMs: 200,
      socketFactory: (url, options) => {
        sockets++;
        return io(url, options);
      },
    });
    clients.push(c);
    c.connect({ id: 'w', name: 'demo', url: server.url, token: TOKEN });
    await waitFor('connected', () => c.connection.get().phase === 'connected');
    await waitFor('all sections', () => {
      const s = c.sections.get();
      return s.order.length === 4 && s.order.every((id) => s.byId[id]?.update);
    });
    const received = () =>
      c.sections.get().order.map((id) => c.sections.get().byId[id]?.receivedAt);
    const before = received();
    const opened = sockets;
    const phases: string[] = [];
    const off = c.connection.subscribe(() => phases.push(c.connection.get().phase));

    c.wake();
    // At once: not live any more (every card stale), no waiting for a retry timer.
    expect(c.connection.get().phase).toBe('reconnecting');
    expect(c.connection.get().nextRetryAt).toBeUndefined();
    expect(c.connection.get().disconnectedSince).toBeDefined();
    c.wake(); // resume + unlock + online together: one reconnect
    await waitFor('connected again', () => c.connection.get().phase === 'connected', 10_000);
    off();
    expect(sockets - opened).toBe(1);
    expect(phases.indexOf('reconnecting')).toBeLessThan(phases.lastIndexOf('connected'));
    expect(c.connection.get().disconnectedSince).toBeUndefined();
    // Resubscribed with the versions held: unchanged sections were not sent again.
    const after = received();
    expect(after.filter((t, i) => t === before[i]).length).toBeGreaterThan(0);
  });

  it('does nothing without a target, or with a refused token', async () => {
    const idle = client();
    idle.wake();
    expect(idle.connection.get().phase).toBe('idle');
    const refused = client();
    refused.connect({ id: 'x', name: 'demo', url: server.url, token: 'wrong-token-000' });
    await waitFor('unauthorized', () => refused.connection.get().phase === 'unauthorized');
    refused.wake();
    expect(refused.connection.get().phase).toBe('unauthorized');
  });
});

describe('PushClient alerts (demo --rate 600: its rules fire within seconds)', () => {
  let busy: OpsdeckProcess;
  let busyProxy: TcpProxy;

  beforeAll(async () => {
    // Seed 9: an order above 1,500 (approval-needed) comes about every 6 s at this rate.
    busy = await startOpsdeck(['demo', '--port', '0', '--rate', '600', '--seed', '9']);
    busyProxy = await startTcpProxy(Number(new URL(busy.url).port));
  });

  afterAll(async () => {
    await busyProxy.close();
    await busy.stop();
  });

  it('reads the rules and dashboards, receives alerts, and after a reconnect holds only what the server resent', async () => {
    const c = client();
    c.connect({ id: 'busy', name: 'busy', url: `http://127.0.0.1:${busyProxy.port}` });
    await waitFor('catalog', () => c.alerts.get().rules.length === 3);
    expect(c.sections.get().dashboards?.map((d) => d.id)).toEqual(['floor', 'trends']);
    await waitFor('an alert firing', () => Object.keys(c.alerts.get().firing).length > 0, 30_000);
    const firing = Object.values(c.alerts.get().firing)[0];
    expect(firing?.event.state).toBe('firing');
    expect(['open-orders-high', 'big-order', 'approval-needed']).toContain(firing?.event.id);

    busyProxy.cut();
    await waitFor('reconnecting', () => c.connection.get().phase === 'reconnecting');
    // Held while disconnected, but unconfirmed: the strip shows it as not live.
    expect(Object.values(c.alerts.get().firing).every((a) => a.unconfirmed)).toBe(true);
    busyProxy.restore();
    await waitFor('connected again', () => c.connection.get().phase === 'connected', 10_000);
    await waitFor('resync over', () => !c.alerts.get().resyncing, 10_000);
    // Whatever is still held was resent by the server (confirmed); the rest left as lost.
    const held = Object.values(c.alerts.get().firing);
    expect(held.every((a) => a.unconfirmed === undefined)).toBe(true);
    // The alert seen before the cut is either still firing (resent, confirmed) or ended in history.
    const id = firing?.event.id ?? '';
    const ended = c.alerts
      .get()
      .history.some(
        (h) => h.event.id === id && (h.event.state === 'resolved' || h.outcome === 'lost'),
      );
    expect(c.alerts.get().firing[id] !== undefined || ended).toBe(true);
    const lost = c.alerts.get().history.filter((h) => h.outcome === 'lost');
    for (const h of lost)
      expect(c.alerts.get().firing[h.event.id]?.event.since).not.toBe(h.event.since);
  });

  it('fires and resolves the demo floor’s critical rule, approval-needed (an order above 1,500)', async () => {
    const c = client();
    c.connect({ id: 'busy', name: 'busy', url: busy.url });
    const seen = () => c.alerts.get().history.filter((h) => h.event.id === 'approval-needed');
    await waitFor(
      'approval-needed fired',
      () => seen().some((h) => h.event.state === 'firing'),
      60_000,
    );
    const fired = seen().find((h) => h.event.state === 'firing')!.event;
    expect(fired).toMatchObject({ section: 'recent', severity: 'critical' });
    expect(fired.value).toBeGreaterThan(1500);
    expect(fired.message).toMatch(
      /^Order \d+ needs a manager’s approval: \d+(\.\d+)? from .+ \(.+\)$/,
    );
    // The order leaves the 10 latest within a second or two at 600 orders a minute.
    await waitFor(
      'approval-needed resolved',
      () => seen().some((h) => h.event.state === 'resolved'),
      60_000,
    );
  }, 150_000);
});
