/**
 * The preload of the console window: exposes `window.opsdeck`, one named, typed method per channel
 * of the IPC contract (common/ipc.ts), with arguments checked here and validated again in the main
 * process. Never exposes ipcRenderer, its events, or process.
 *
 * A sandboxed preload is a single CommonJS script whose `require` knows only a few modules
 * (electron, events, timers, url): hence `.cts` and type-only imports from the contract.
 */
import type {
  AlertsReport,
  ConnectionReport,
  DesktopProfile,
  EventChannel,
  InvokeArgs,
  InvokeChannel,
  InvokeResult,
  IpcEventContract,
  NotificationPrefs,
  OpsdeckDesktopApi,
} from '../common/ipc.js';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- sandboxed preloads are CommonJS
import electron = require('electron');

const { contextBridge, ipcRenderer } = electron;

function invoke<C extends InvokeChannel>(
  channel: C,
  ...args: InvokeArgs<C>
): Promise<InvokeResult<C>> {
  return ipcRenderer.invoke(channel, ...args) as Promise<InvokeResult<C>>;
}

/** Runs the argument checks: a bad argument rejects like a failed call, it never throws. */
function checked<T>(call: () => Promise<T>): Promise<T> {
  try {
    return call();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function subscribe<E extends EventChannel>(
  channel: E,
  listener: (payload: IpcEventContract[E]) => void,
): () => void {
  if (typeof listener !== 'function') throw new TypeError('listener must be a function');
  // The renderer gets the payload only, never the IPC event (it carries `sender`).
  const wrapped = (_event: unknown, payload: IpcEventContract[E]) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

function text(value: unknown, what: string, max = 2048): string {
  if (typeof value !== 'string' || value.length > max) {
    throw new TypeError(`${what} must be a string of at most ${max} characters`);
  }
  return value;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function optional<T>(value: unknown, check: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${what} must be true or false`);
  return value;
}

/** A copy with the known fields only: nothing else crosses to the main process. */
function profile(value: unknown): DesktopProfile {
  const p = record(value, 'profile');
  if (!Array.isArray(p.urls)) throw new TypeError('profile.urls must be a list');
  const token = optional(p.token, (v) => text(v, 'profile.token', 4096));
  const builtin = optional(p.builtin, (v) => bool(v, 'profile.builtin'));
  return {
    id: text(p.id, 'profile.id', 100),
    name: text(p.name, 'profile.name', 200),
    urls: p.urls.map((u, i) => text(u, `profile.urls[${i}]`)),
    ...(token !== undefined ? { token } : {}),
    ...(builtin !== undefined ? { builtin } : {}),
  };
}

function prefsPatch(value: unknown): Partial<NotificationPrefs> {
  const p = record(value, 'preferences');
  const connectionLost = optional(p.connectionLost, (v) => bool(v, 'connectionLost'));
  const sectionUnhealthy = optional(p.sectionUnhealthy, (v) => bool(v, 'sectionUnhealthy'));
  return {
    ...(connectionLost !== undefined ? { connectionLost } : {}),
    ...(sectionUnhealthy !== undefined ? { sectionUnhealthy } : {}),
  };
}

function report(value: unknown): ConnectionReport {
  const r = record(value, 'report');
  if (!Array.isArray(r.unhealthySections)) throw new TypeError('unhealthySections must be a list');
  const targetName = optional(r.targetName, (v) => text(v, 'targetName', 200));
  return {
    phase: text(r.phase, 'phase', 20) as ConnectionReport['phase'],
    ...(targetName !== undefined ? { targetName } : {}),
    unhealthySections: r.unhealthySections.map((s, i) => {
      const section = record(s, `unhealthySections[${i}]`);
      const error = optional(section.error, (v) => text(v, 'error'));
      return {
        id: text(section.id, 'section id', 100),
        title: text(section.title, 'section title', 500),
        ...(error !== undefined ? { error } : {}),
      };
    }),
  };
}

function alertsReport(value: unknown): AlertsReport {
  const r = record(value, 'alerts report');
  if (!Array.isArray(r.loud)) throw new TypeError('loud must be a list');
  return {
    loud: r.loud.map((a, i) => {
      const alert = record(a, `loud[${i}]`);
      return {
        id: text(alert.id, 'alert id', 100),
        section: text(alert.section, 'alert section', 100),
        sectionTitle: text(alert.sectionTitle, 'section title', 500),
        severity: text(alert.severity, 'severity', 20) as AlertsReport['loud'][number]['severity'],
        since: text(alert.since, 'since', 40),
        message: text(alert.message, 'message', 2000),
      };
    }),
    sound: bool(r.sound, 'sound'),
  };
}

const api: OpsdeckDesktopApi = {
  listProfiles: () => invoke('profiles:list'),
  saveProfile: (p) => checked(() => invoke('profiles:save', profile(p))),
  deleteProfile: (id) => checked(() => invoke('profiles:delete', text(id, 'id', 100))),
  getActiveProfileId: () => invoke('profiles:get-active'),
  setActiveProfileId: (id) => checked(() => invoke('profiles:set-active', text(id, 'id', 100))),
  storageWarning: () => invoke('profiles:storage-warning'),
  getServerState: () => invoke('server:get-state'),
  restartServer: () => invoke('server:restart'),
  openExternal: (url) => checked(() => invoke('shell:open-external', text(url, 'url'))),
  getAppInfo: () => invoke('app:info'),
  getNotificationPrefs: () => invoke('notifications:get-prefs'),
  setNotificationPrefs: (p) => checked(() => invoke('notifications:set-prefs', prefsPatch(p))),
  reportConnection: (r) => checked(() => invoke('connection:report', report(r))),
  probeServer: (url) => checked(() => invoke('connection:probe', text(url, 'url'))),
  reportAlerts: (r) => checked(() => invoke('alerts:report', alertsReport(r))),
  onServerStateChanged: (listener) => subscribe('server:state-changed', listener),
  onMenuCommand: (listener) => subscribe('menu:command', listener),
  onConnectionWake: (listener) => subscribe('connection:wake', listener),
  onAlertFocus: (listener) => subscribe('alerts:focus', listener),
};

contextBridge.exposeInMainWorld('opsdeck', api);
