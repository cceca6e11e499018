/**
 * The console inside the desktop app: a DesktopBridge over the preload's `window.opsdeck`, and
 * the glue between the push client and the main process (attachDesktop): URL failover across a
 * profile's nodes, following the embedded demo server across restarts, menu commands, and the
 * connection reports behind the tray icon and desktop notifications.
 */
import type { DashboardInfo } from '../../common/alerts.js';
import { assertNever } from '../../common/assertNever.js';
import {
  LOCAL_DEMO_PROFILE_ID,
  type ConnectionReport,
  type EmbeddedServerState,
  type OpsdeckDesktopApi,
} from '../../common/ipc.js';
import {
  DEFAULT_FAILOVER_BACKOFF,
  currentUrl,
  failoverDelayMs,
  markFailed,
  markGood,
  startFailover,
  withUrls,
  type FailoverBackoff,
  type FailoverState,
} from '../../common/urlFailover.js';
import { serverProbeSchema, type ServerProbe } from '../../common/serverProbe.js';
import { AlertPrefs, type AlertPrefsState } from '../live/AlertPrefs.js';
import type { AlertsState } from '../live/alertsReducer.js';
import type { Store } from '../live/Store.js';
import type { ConnectTarget, ConnectionState, SectionsState } from '../live/state.js';
import type { DesktopBridge, Profile } from './DesktopBridge.js';
import { followAlertFocus, reportAlerts } from './desktopAlerts.js';
import { checkedWakeSignal } from './desktopEvents.js';

declare global {
  interface Window {
    /** Set by the desktop app's preload (main/preload.cts); absent in a browser. */
    opsdeck?: OpsdeckDesktopApi;
  }
}

/** Profiles, active profile and storage warning from the main process (tokens via safeStorage). */
export function electronBridge(api: OpsdeckDesktopApi): DesktopBridge {
  return {
    kind: 'desktop',
    listProfiles: () => api.listProfiles(),
    saveProfile: (profile) => api.saveProfile(profile),
    deleteProfile: (id) => api.deleteProfile(id),
    getActiveProfileId: () => api.getActiveProfileId(),
    setActiveProfileId: (id) => api.setActiveProfileId(id),
    storageWarning: () => api.storageWarning(),
    probeServer: async (url) => checkedProbe(await api.probeServer(url)),
  };
}

/** The main process's probe answer, checked: anything malformed rejects (the test falls back). */
export function checkedProbe(value: unknown): ServerProbe {
  const parsed = serverProbeSchema.safeParse(value);
  if (!parsed.success)
    throw new Error('the desktop app answered the probe with a malformed result');
  return parsed.data;
}

/** The embedded server as the built-in "Local demo" target, once it runs. */
export function localDemoTarget(state: EmbeddedServerState): ConnectTarget | undefined {
  if (state.status !== 'running' || !state.url) return undefined;
  return {
    id: LOCAL_DEMO_PROFILE_ID,
    name: 'Local demo',
    url: state.url,
    ...(state.token ? { token: state.token } : {}),
  };
}

/** What the glue needs of the PushClient. */
export interface ConsoleClient {
  readonly connection: Pick<Store<ConnectionState>, 'get' | 'subscribe'>;
  readonly sections: Pick<Store<SectionsState>, 'get' | 'subscribe'>;
  readonly alerts: Pick<Store<AlertsState>, 'get' | 'subscribe'>;
  connect(target: ConnectTarget): void;
  /** Reconnect and resync at once (the OS woke up, the network changed). */
  wake(): void;
}

/** Runs `fn` after `ms`; returns a cancel function. */
export type Schedule = (fn: () => void, ms: number) => () => void;

const defaultSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

export interface DesktopOptions {
  /** Opens the console's connect dialog (default: the Ctrl+K shortcut the console listens to). */
  openConnectDialog?: () => void;
  schedule?: Schedule;
  backoff?: FailoverBackoff;
  /** The user's acknowledgements and snoozes (default: the console's, in localStorage). */
  alertPrefs?: Pick<Store<AlertPrefsState>, 'get' | 'subscribe'>;
  /** Shows a section's card (default: focusSectionCard on this document). */
  focusCard?: (section: string, dashboards: DashboardInfo[] | undefined) => void;
}

/** Wires the console to the desktop app; returns a function that undoes it. */
export function attachDesktop(
  client: ConsoleClient,
  api: OpsdeckDesktopApi,
  options: DesktopOptions = {},
): () => void {
  const failover = followUrlFailover(client, electronBridge(api), options);
  const offs = [
    () => failover.dispose(),
    followLocalDemo(client, api),
    followMenuCommands(client, api, failover.targetFor, options.openConnectDialog ?? pressCtrlK),
    reportConnection(client, api),
    reportAlerts(client, options.alertPrefs ?? new AlertPrefs(window.localStorage).store, api),
    followAlertFocus(client, api, options.focusCard),
    followConnectionWake(client, api),
  ];
  return () => {
    for (const off of offs) off();
  };
}

function toTarget(profile: Profile, url: string): ConnectTarget {
  return {
    id: profile.id,
    name: profile.name,
    url,
    ...(profile.token ? { token: profile.token } : {}),
  };
}

/**
 * When the connection to one of a profile's URLs fails, connects to the next one (round-robin,
 * starting from the last URL that worked): at once while the round has untried URLs, with backoff
 * after a round in which all failed. Profiles with one URL are left to the client's own retries;
 * a refused token is not a reason to try another node.
 */
export function followUrlFailover(
  client: ConsoleClient,
  bridge: Pick<DesktopBridge, 'listProfiles'>,
  options: DesktopOptions = {},
): { targetFor: (profile: Profile) => ConnectTarget; dispose: () => void } {
  const schedule = options.schedule ?? defaultSchedule;
  const backoff = options.backoff ?? DEFAULT_FAILOVER_BACKOFF;
  const failovers = new Map<string, FailoverState>();
  let cancel: (() => void) | undefined;
  let ours: ConnectTarget | undefined;
  let previous = client.connection.get();

  const learn = (profile: Profile): FailoverState => {
    const known = failovers.get(profile.id);
    const next = known ? withUrls(known, profile.urls) : startFailover(profile.urls);
    failovers.set(profile.id, next);
    return next;
  };
  const refresh = async (id: string) => {
    try {
      const profile = (await bridge.listProfiles()).find((p) => p.id === id);
      if (profile) learn(profile);
    } catch {
      // Keep what we know; the next connect asks again.
    }
  };
  const stopTimer = () => {
    cancel?.();
    cancel = undefined;
  };

  const onChange = () => {
    const state = client.connection.get();
    const before = previous;
    previous = state;
    const target = state.target;
    if (!target) return stopTimer();
    const newConnect = target !== before.target;
    if (newConnect && target !== ours) {
      // The user (or the console) chose a target: learn its profile's current URLs.
      stopTimer();
      void refresh(target.id);
    }
    if (state.phase === 'connected') {
      stopTimer();
      const known = failovers.get(target.id);
      if (known) failovers.set(target.id, markGood(known, target.url));
      return;
    }
    const failed =
      (state.phase === 'unreachable' || state.phase === 'reconnecting') &&
      state.attempt > 0 &&
      (newConnect || state.attempt !== before.attempt);
    const known = failovers.get(target.id);
    if (!failed || !known || known.urls.length < 2) return;
    const next = markFailed(known, target.url);
    failovers.set(target.id, next);
    const url = currentUrl(next);
    if (url === undefined || url === target.url) return;
    stopTimer();
    cancel = schedule(
      () => {
        cancel = undefined;
        const now = client.connection.get();
        if (now.phase === 'connected' || now.target?.id !== target.id) return;
        ours = { ...target, url };
        client.connect(ours);
      },
      failoverDelayMs(next, backoff),
    );
  };

  const off = client.connection.subscribe(onChange);
  const initial = client.connection.get().target;
  if (initial) void refresh(initial.id);
  return {
    targetFor: (profile) => toTarget(profile, currentUrl(learn(profile)) ?? ''),
    dispose: () => {
      off();
      stopTimer();
    },
  };
}

/** The embedded server got a new port after a restart: follow it if the console is on it. */
export function followLocalDemo(client: ConsoleClient, api: OpsdeckDesktopApi): () => void {
  return api.onServerStateChanged((state) => {
    const demo = localDemoTarget(state);
    const { target } = client.connection.get();
    if (!demo || target?.id !== LOCAL_DEMO_PROFILE_ID || target.url === demo.url) return;
    client.connect({ ...demo, name: target.name });
  });
}

/** File menu: Connect… opens the dialog; Local demo and recent profiles connect. */
export function followMenuCommands(
  client: ConsoleClient,
  api: OpsdeckDesktopApi,
  targetFor: (profile: Profile) => ConnectTarget,
  openConnectDialog: () => void,
): () => void {
  const connectTo = async (id: string) => {
    const profile = (await api.listProfiles()).find((p) => p.id === id);
    if (!profile) return;
    await api.setActiveProfileId(profile.id);
    client.connect(targetFor(profile));
  };
  return api.onMenuCommand((command) => {
    switch (command.kind) {
      case 'open-connect-dialog':
        openConnectDialog();
        return;
      case 'local-demo':
        connectTo(LOCAL_DEMO_PROFILE_ID).catch(() => undefined);
        return;
      case 'connect-profile':
        connectTo(command.profileId).catch(() => undefined);
        return;
      default:
        assertNever(command, 'menu command');
    }
  });
}

/** The OS woke up, unlocked or changed networks (main/power/setupWake): reconnect at once. */
export function followConnectionWake(
  client: Pick<ConsoleClient, 'wake'>,
  api: Pick<OpsdeckDesktopApi, 'onConnectionWake'>,
): () => void {
  return api.onConnectionWake((payload) => {
    if (checkedWakeSignal(payload)) client.wake();
  });
}

/** Tells the main process the connection phase and failing sections, when they change. */
export function reportConnection(client: ConsoleClient, api: OpsdeckDesktopApi): () => void {
  let last = '';
  const send = () => {
    const connection = client.connection.get();
    const sections = client.sections.get();
    const report: ConnectionReport = {
      phase: connection.phase,
      ...(connection.target ? { targetName: connection.target.name } : {}),
      unhealthySections: sections.order.flatMap((id) => {
        const view = sections.byId[id];
        if (!view?.status || view.status.healthy) return [];
        const { error } = view.status;
        return [{ id, title: view.info.title, ...(error ? { error } : {}) }];
      }),
    };
    const key = JSON.stringify(report);
    if (key === last) return;
    last = key;
    api.reportConnection(report).catch(() => undefined);
  };
  const offs = [client.connection.subscribe(send), client.sections.subscribe(send)];
  send();
  return () => {
    for (const off of offs) off();
  };
}

/** The console opens its connect dialog on Ctrl/Cmd+K (App.tsx); the menu plays that shortcut. */
function pressCtrlK(): void {
  window.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true }));
}
