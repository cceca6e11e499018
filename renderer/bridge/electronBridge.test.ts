/**
 * The console's desktop glue against a fake `window.opsdeck` and a fake push client (real Stores):
 * the bridge, URL failover across a profile's nodes, the local demo across server restarts, menu
 * commands, and connection reports.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type {
  AlertFocus,
  AlertsReport,
  ConnectionReport,
  Profile,
  WakeSignal,
  EmbeddedServerState,
  MenuCommand,
  OpsdeckDesktopApi,
} from '../../common/ipc.js';
import type { ServerProbe } from '../../common/serverProbe.js';
import type { AlertPrefsState } from '../live/AlertPrefs.js';
import { applyAlert, initialAlerts, type AlertsState } from '../live/alertsReducer.js';
import { Store } from '../live/Store.js';
import {
  initialConnection,
  initialSections,
  type ConnectTarget,
  type ConnectionState,
  type SectionsState,
} from '../live/state.js';
import {
  attachDesktop,
  electronBridge,
  localDemoTarget,
  type ConsoleClient,
  type Schedule,
} from './electronBridge.js';

const A = 'https://a.example:3001';
const B = 'https://b.example:3001';
const C = 'https://c.example:3001';
const cluster: Profile = { id: 'prod', name: 'Production', urls: [A, B, C], token: 'tok' };
const single: Profile = { id: 'one', name: 'One', urls: [A] };
const demo: Profile = {
  id: 'local-demo',
  name: 'Local demo',
  urls: ['http://127.0.0.1:4000'],
  token: 'demo-token',
  builtin: true,
};

class FakeApi {
  profiles: Profile[] = [demo, cluster, single];
  active: string | undefined;
  reports: ConnectionReport[] = [];
  calls: string[] = [];
  probeAnswer: unknown = { outcome: 'refused', stage: 'tcp', host: 'a', port: 1, elapsedMs: 2 };
  serverListeners = new Set<(s: EmbeddedServerState) => void>();
  menuListeners = new Set<(c: MenuCommand) => void>();
  alertReports: AlertsReport[] = [];
  wakeListeners = new Set<(s: WakeSignal) => void>();
  focusListeners = new Set<(f: AlertFocus) => void>();

  readonly api: OpsdeckDesktopApi = {
    listProfiles: () => Promise.resolve(this.profiles),
    saveProfile: (p) => {
      this.calls.push(`save ${p.id}`);
      return Promise.resolve(p);
    },
    deleteProfile: (id) => {
      this.calls.push(`delete ${id}`);
      return Promise.resolve(undefined);
    },
    getActiveProfileId: () => Promise.resolve(this.active),
    setActiveProfileId: (id) => {
      this.active = id;
      return Promise.resolve(undefined);
    },
    storageWarning: () => Promise.resolve('careful'),
    getServerState: () => Promise.resolve({ status: 'starting', crashes: 0 }),
    restartServer: () => Promise.resolve(undefined),
    openExternal: () => Promise.resolve(true),
    getAppInfo: () => Promise.reject(new Error('unused')),
    getNotificationPrefs: () => Promise.resolve({ connectionLost: true, sectionUnhealthy: true }),
    setNotificationPrefs: () => Promise.reject(new Error('unused')),
    reportConnection: (r) => {
      this.reports.push(r);
      return Promise.resolve(undefined);
    },
    probeServer: (url) => {
      this.calls.push(`probe ${url}`);
      return Promise.resolve(this.probeAnswer as ServerProbe);
    },
    onServerStateChanged: (l) => {
      this.serverListeners.add(l);
      return () => this.serverListeners.delete(l);
    },
    onMenuCommand: (l) => {
      this.menuListeners.add(l);
      return () => this.menuListeners.delete(l);
    },
    reportAlerts: (r) => {
      this.alertReports.push(r);
      return Promise.resolve(undefined);
    },
    onConnectionWake: (l) => {
      this.wakeListeners.add(l);
      return () => this.wakeListeners.delete(l);
    },
    onAlertFocus: (l) => {
      this.focusListeners.add(l);
      return () => this.focusListeners.delete(l);
    },
  };

  server(state: EmbeddedServerState): void {
    for (const l of this.serverListeners) l(state);
  }
  menu(command: MenuCommand): void {
    for (const l of this.menuListeners) l(command);
  }
}

class FakeClient implements ConsoleClient {
  readonly connection = new Store<ConnectionState>(initialConnection);
  readonly sections = new Store<SectionsState>(initialSections);
  readonly alerts = new Store<AlertsState>(initialAlerts);
  readonly connects: string[] = [];
  wakes = 0;

  wake(): void {
    this.wakes++;
  }

  connect(target: ConnectTarget): void {
    this.connects.push(target.url);
    this.connection.set({ ...initialConnection, phase: 'connecting', target });
  }
  /** Plays the PushClient's failed attempt (its retry is scheduled). */
  fail(phase: 'unreachable' | 'reconnecting' = 'unreachable'): void {
    this.connection.update((c) => ({ ...c, phase, attempt: c.attempt + 1, lastError: 'down' }));
  }
  succeed(): void {
    this.connection.update((c) => ({ ...c, phase: 'connected', attempt: 0 }));
  }
  target(): ConnectTarget | undefined {
    return this.connection.get().target;
  }
}

/** A manual clock: runs the scheduled callbacks on demand and records their delays. */
class Timers {
  pending: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  readonly schedule: Schedule = (fn, ms) => {
    const entry = { fn, ms, cancelled: false };
    this.pending.push(entry);
    return () => (entry.cancelled = true);
  };
  /** Runs everything due; returns the delays that ran. */
  run(): number[] {
    const due = this.pending.filter((p) => !p.cancelled);
    this.pending = [];
    for (const p of due) p.fn();
    return due.map((p) => p.ms);
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

let fakeApi: FakeApi;
let client: FakeClient;
let timers: Timers;
let dialogOpened: number;
let detach: () => void;
let prefs: Store<AlertPrefsState>;
let focused: string[];

beforeEach(() => {
  prefs = new Store<AlertPrefsState>({ acked: {}, snoozed: {}, sound: false });
  focused = [];
  fakeApi = new FakeApi();
  client = new FakeClient();
  timers = new Timers();
  dialogOpened = 0;
  detach = attachDesktop(client, fakeApi.api, {
    schedule: timers.schedule,
    backoff: { initialMs: 1000, maxMs: 4000 },
    openConnectDialog: () => dialogOpened++,
    alertPrefs: prefs,
    focusCard: (section) => focused.push(section),
  });
});

/** The console connects to a profile as App.tsx does (its first URL). */
async function userConnects(profile: Profile): Promise<void> {
  client.connect({ id: profile.id, name: profile.name, url: profile.urls[0]!, token: 'tok' });
  await flush();
}

describe('electronBridge', () => {
  it('is a desktop DesktopBridge over window.opsdeck', async () => {
    const bridge = electronBridge(fakeApi.api);
    expect(bridge.kind).toBe('desktop');
    expect(await bridge.listProfiles()).toEqual([demo, cluster, single]);
    await bridge.saveProfile(single);
    await bridge.deleteProfile('one');
    await bridge.setActiveProfileId('prod');
    expect(await bridge.getActiveProfileId()).toBe('prod');
    expect(await bridge.storageWarning()).toBe('careful');
    expect(fakeApi.calls).toEqual(['save one', 'delete one']);
  });

  it('passes probes to the main process and checks what comes back', async () => {
    const bridge = electronBridge(fakeApi.api);
    expect(await bridge.probeServer?.('http://a:1')).toEqual(fakeApi.probeAnswer);
    for (const bad of [
      null,
      { outcome: 'fine', stage: 'tcp', host: 'a', port: 1, elapsedMs: 2 },
      { outcome: 'refused', stage: 'tcp', host: 'a', port: 1, elapsedMs: 2, html: '<b>' },
      { outcome: 'refused', stage: 'tcp', host: 'a', port: 70000, elapsedMs: 2 },
    ]) {
      fakeApi.probeAnswer = bad;
      await expect(bridge.probeServer?.('http://a:1')).rejects.toThrow(/malformed/);
    }
    expect(fakeApi.calls).toEqual(Array(5).fill('probe http://a:1'));
  });

  it('turns the running embedded server into the Local demo target', () => {
    expect(localDemoTarget({ status: 'starting', crashes: 0 })).toBeUndefined();
    expect(
      localDemoTarget({ status: 'running', url: 'http://127.0.0.1:5', token: 't', crashes: 0 }),
    ).toEqual({ id: 'local-demo', name: 'Local demo', url: 'http://127.0.0.1:5', token: 't' });
  });
});

describe('URL failover', () => {
  it('moves to the next node URL when one fails, round-robin, with backoff per round', async () => {
    await userConnects(cluster);
    client.fail();
    expect(timers.run()).toEqual([0]);
    expect(client.target()?.url).toBe(B);
    expect(client.target()?.token).toBe('tok');
    client.fail();
    expect(timers.run()).toEqual([0]);
    expect(client.target()?.url).toBe(C);
    client.fail();
    expect(timers.run()).toEqual([1000]); // every node failed once: back off
    expect(client.target()?.url).toBe(A);
    client.fail();
    client.fail(); // the client's own retry failed again before ours ran: one move only
    expect(timers.run()).toEqual([0]);
    expect(client.connects).toEqual([A, B, C, A, B]);
  });

  it('remembers the last good URL, also for menu connects', async () => {
    await userConnects(cluster);
    client.fail();
    timers.run();
    client.succeed(); // B works
    client.fail('reconnecting'); // B dies later
    timers.run();
    expect(client.target()?.url).toBe(C);
    client.succeed();
    fakeApi.menu({ kind: 'connect-profile', profileId: 'prod' });
    await flush();
    expect(client.target()?.url).toBe(C);
    expect(fakeApi.active).toBe('prod');
  });

  it('cancels a pending move when the connection comes back', async () => {
    await userConnects(cluster);
    client.fail();
    client.fail();
    client.fail();
    client.fail(); // repeated failures before the move runs: still one pending move
    client.succeed();
    expect(timers.run()).toEqual([]);
  });

  it('leaves single-URL profiles and refused tokens to the client', async () => {
    await userConnects(single);
    client.fail();
    expect(timers.run()).toEqual([]);
    await userConnects(cluster);
    client.connection.update((c) => ({ ...c, phase: 'unauthorized' }));
    expect(timers.run()).toEqual([]);
    expect(client.connects).toEqual([A, A]);
  });
});

describe('local demo and menu commands', () => {
  it('follows the embedded server to its new URL after a restart', async () => {
    await userConnects(demo);
    fakeApi.server({ status: 'restarting', crashes: 1, message: 'stopped' });
    fakeApi.server({
      status: 'running',
      url: 'http://127.0.0.1:4001',
      token: 'demo-token',
      crashes: 1,
    });
    expect(client.target()).toEqual({
      id: 'local-demo',
      name: 'Local demo',
      url: 'http://127.0.0.1:4001',
      token: 'demo-token',
    });
    // Same URL again, or the console on another profile: nothing to do.
    fakeApi.server({
      status: 'running',
      url: 'http://127.0.0.1:4001',
      token: 'demo-token',
      crashes: 1,
    });
    await userConnects(cluster);
    fakeApi.server({
      status: 'running',
      url: 'http://127.0.0.1:4002',
      token: 'demo-token',
      crashes: 2,
    });
    expect(client.connects).toEqual(['http://127.0.0.1:4000', 'http://127.0.0.1:4001', A]);
  });

  it('carries out File > Connect…, Local demo and recent profiles', async () => {
    fakeApi.menu({ kind: 'open-connect-dialog' });
    expect(dialogOpened).toBe(1);
    fakeApi.menu({ kind: 'local-demo' });
    await flush();
    expect(client.target()).toMatchObject({ id: 'local-demo', url: 'http://127.0.0.1:4000' });
    expect(fakeApi.active).toBe('local-demo');
    fakeApi.menu({ kind: 'connect-profile', profileId: 'gone' });
    await flush();
    expect(client.target()?.id).toBe('local-demo');
  });

  it('stops listening when detached', async () => {
    detach();
    fakeApi.menu({ kind: 'local-demo' });
    await flush();
    expect(client.connects).toEqual([]);
    expect(fakeApi.menuListeners.size).toBe(0);
    expect(fakeApi.serverListeners.size).toBe(0);
  });
});

describe('connection reports', () => {
  it('reports phase, target and failing sections, only when they change', async () => {
    await userConnects(cluster);
    client.succeed();
    client.sections.set({
      order: ['sales', 'kpis'],
      byId: {
        sales: {
          info: { id: 'sales', title: 'Revenue', view: { type: 'line' }, mode: 'push' },
          status: { section: 'sales', healthy: false, error: 'timeout' },
          changedRowKeys: [],
        },
        kpis: {
          info: { id: 'kpis', title: 'KPIs', view: { type: 'stat' }, mode: 'push' },
          status: { section: 'kpis', healthy: true },
          changedRowKeys: [],
        },
      },
    });
    client.sections.set({ ...client.sections.get() }); // same content: no new report
    expect(fakeApi.reports).toEqual([
      { phase: 'idle', unhealthySections: [] },
      { phase: 'connecting', targetName: 'Production', unhealthySections: [] },
      { phase: 'connected', targetName: 'Production', unhealthySections: [] },
      {
        phase: 'connected',
        targetName: 'Production',
        unhealthySections: [{ id: 'sales', title: 'Revenue', error: 'timeout' }],
      },
    ]);
  });
});

describe('desktop alerts and wake-up', () => {
  const since = '2026-12-01T15:30:00.000Z';
  const firing = (id: string, severity: 'warning' | 'critical', section = 'kpis') =>
    ({ id, section, severity, state: 'firing', since, message: `${id} is up` }) as const;

  it('reports the loud alerts (confirmed, not acknowledged or snoozed) with their section titles', async () => {
    await userConnects(cluster);
    client.succeed();
    client.sections.set({
      order: ['kpis'],
      byId: {
        kpis: {
          info: { id: 'kpis', title: 'Key figures', view: { type: 'stat' }, mode: 'push' },
          changedRowKeys: [],
        },
      },
    });
    client.alerts.update((s) => applyAlert(s, firing('hot', 'warning'), 1));
    client.alerts.update((s) => applyAlert(s, firing('down', 'critical', 'sales'), 1));
    expect(fakeApi.alertReports.at(-1)).toEqual({
      loud: [
        {
          id: 'down',
          section: 'sales',
          sectionTitle: 'sales',
          severity: 'critical',
          since,
          message: 'down is up',
        },
        {
          id: 'hot',
          section: 'kpis',
          sectionTitle: 'Key figures',
          severity: 'warning',
          since,
          message: 'hot is up',
        },
      ],
      sound: false,
    });
    const count = fakeApi.alertReports.length;
    client.alerts.set({ ...client.alerts.get() }); // same content: no new report
    expect(fakeApi.alertReports).toHaveLength(count);
    prefs.set({ acked: { [`hot@${since}`]: 1 }, snoozed: {}, sound: true });
    expect(fakeApi.alertReports.at(-1)?.loud.map((a) => a.id)).toEqual(['down']);
    expect(fakeApi.alertReports.at(-1)?.sound).toBe(true);
    // Disconnected: nothing is confirmed live, so nothing is loud.
    client.fail('reconnecting');
    expect(fakeApi.alertReports.at(-1)?.loud).toEqual([]);
  });

  it('shows the card of a clicked notification and wakes the client on connection:wake', () => {
    const focus: AlertFocus = { id: 'hot', section: 'kpis' };
    for (const l of fakeApi.focusListeners) l(focus);
    expect(focused).toEqual(['kpis']);
    const wake: WakeSignal = { reason: 'resume' };
    for (const l of fakeApi.wakeListeners) l(wake);
    expect(client.wakes).toBe(1);
    // Malformed events from the main process are dropped (checked on arrival).
    for (const l of fakeApi.focusListeners) l({ id: 'hot', section: 42 } as never);
    for (const l of fakeApi.wakeListeners) l({ reason: 'because' } as never);
    expect(focused).toEqual(['kpis']);
    expect(client.wakes).toBe(1);
    detach();
    for (const l of fakeApi.wakeListeners) l(wake);
    expect(client.wakes).toBe(1);
    expect(fakeApi.focusListeners.size).toBe(0);
  });
});
