/**
 * The desktop app's IPC contract: every channel between the Electron main process and the preload,
 * with its argument and result types, and the zod schemas the main process validates arguments
 * with. One map for both sides (GitHub Desktop style): main/ipc registers exactly these channels,
 * main/preload.cts exposes one named method per channel, renderer/bridge wraps those methods.
 *
 * Types and pure values only: the sandboxed preload imports nothing from here at run time.
 */
import type { AlertSeverity } from './alerts.js';
import type { ConnectionPhase } from './connectionPhase.js';
import type { Profile } from './profile.js';
import type { ServerProbe } from './serverProbe.js';

export type { Profile } from './profile.js';

/** The built-in profile for the embedded demo server (its URL and token change per launch). */
export const LOCAL_DEMO_PROFILE_ID = 'local-demo';

/** Profile ids: UUIDs from the connect dialog, or built-in names. */
export const PROFILE_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/** The same type as `Profile` (common/profile.ts), under the name main/ still uses. */
export type DesktopProfile = Profile;

export type EmbeddedServerStatus = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';

/** The embedded demo server, as supervised by the main process. */
export interface EmbeddedServerState {
  status: EmbeddedServerStatus;
  /** Set while running. */
  url?: string;
  /** The fresh random token of this launch. */
  token?: string;
  /** Why it is restarting or failed, in words for people. */
  message?: string;
  /** Unexpected exits so far. */
  crashes: number;
  /** Epoch ms of the next start attempt, while restarting. */
  nextAttemptAt?: number;
}

export interface AppInfo {
  name: string;
  version: string;
  electron: string;
  chrome: string;
  node: string;
  platform: string;
  packaged: boolean;
}

/** A change to some of the preferences (what the IPC call carries; absent keys stay). */
export type NotificationPrefsPatch = {
  [K in keyof NotificationPrefs]?: NotificationPrefs[K] | undefined;
};

export interface NotificationPrefs {
  /** Notify when the connection has been lost for more than 10 s. */
  connectionLost: boolean;
  /** Notify when a section starts failing. */
  sectionUnhealthy: boolean;
}

/** The console's connection phase, as reported to the main process: every phase is reported. */
export type ReportedPhase = ConnectionPhase;

/** What the console tells the main process, for the tray icon and desktop notifications. */
export interface ConnectionReport {
  phase: ReportedPhase;
  /** The profile connected to (its name), if any. */
  targetName?: string | undefined;
  unhealthySections: { id: string; title: string; error?: string | undefined }[];
}

/** A firing alert, as the console tells the main process (for a desktop notification). */
export interface ReportedAlert {
  /** The rule's id. */
  id: string;
  section: string;
  /** The section's title, for the notification's words. */
  sectionTitle: string;
  severity: AlertSeverity;
  /** When it started firing (ISO 8601): with `id`, names one firing. */
  since: string;
  message: string;
}

/** The console's firing alerts, sent each time they change (main/notifications/alertNotifier). */
export interface AlertsReport {
  /**
   * Firing, confirmed by the server since the last (re)connect, neither acknowledged nor
   * snoozed: what a desktop notification and the tray badge are about.
   */
  loud: ReportedAlert[];
  /** The console's Sound switch: the notifications are silent unless it is on. */
  sound: boolean;
}

/** Why the main process asks the console to reconnect at once (main/power/setupWake). */
export type WakeReason = 'resume' | 'unlock-screen' | 'network';

/** The machine woke up, was unlocked, or its network changed: reconnect and resync now. */
export interface WakeSignal {
  reason: WakeReason;
}

/** A desktop notification of this alert was clicked: show its section's card. */
export interface AlertFocus {
  id: string;
  section: string;
}

/** Menu items the console carries out (main -> renderer). */
export type MenuCommand =
  | { kind: 'open-connect-dialog' }
  | { kind: 'local-demo' }
  | { kind: 'connect-profile'; profileId: string };

/** renderer -> main, request and response (`ipcRenderer.invoke` / `ipcMain.handle`). */
export interface IpcInvokeContract {
  'profiles:list': { args: []; result: Profile[] };
  'profiles:save': { args: [profile: Profile]; result: Profile };
  'profiles:delete': { args: [id: string]; result: undefined };
  'profiles:get-active': { args: []; result: string | undefined };
  'profiles:set-active': { args: [id: string]; result: undefined };
  'profiles:storage-warning': { args: []; result: string | undefined };
  'server:get-state': { args: []; result: EmbeddedServerState };
  'server:restart': { args: []; result: undefined };
  'shell:open-external': { args: [url: string]; result: boolean };
  'app:info': { args: []; result: AppInfo };
  'notifications:get-prefs': { args: []; result: NotificationPrefs };
  'notifications:set-prefs': {
    args: [prefs: NotificationPrefsPatch];
    result: NotificationPrefs;
  };
  'connection:report': { args: [report: ConnectionReport]; result: undefined };
  /** Probes a server URL from Node (DNS, TCP, TLS, /healthz) for the connect dialog's test. */
  'connection:probe': { args: [url: string]; result: ServerProbe };
  /** The firing alerts changed: desktop notifications, the tray badge. */
  'alerts:report': { args: [report: AlertsReport]; result: undefined };
}

export type InvokeChannel = keyof IpcInvokeContract;
export type InvokeArgs<C extends InvokeChannel> = IpcInvokeContract[C]['args'];
export type InvokeResult<C extends InvokeChannel> = IpcInvokeContract[C]['result'];

/** main -> renderer (`webContents.send` / `ipcRenderer.on`). */
export interface IpcEventContract {
  'server:state-changed': EmbeddedServerState;
  'menu:command': MenuCommand;
  'connection:wake': WakeSignal;
  'alerts:focus': AlertFocus;
}

export type EventChannel = keyof IpcEventContract;

/** The preload's named methods, one per invoke channel. */
export const API_METHODS = {
  listProfiles: 'profiles:list',
  saveProfile: 'profiles:save',
  deleteProfile: 'profiles:delete',
  getActiveProfileId: 'profiles:get-active',
  setActiveProfileId: 'profiles:set-active',
  storageWarning: 'profiles:storage-warning',
  getServerState: 'server:get-state',
  restartServer: 'server:restart',
  openExternal: 'shell:open-external',
  getAppInfo: 'app:info',
  getNotificationPrefs: 'notifications:get-prefs',
  setNotificationPrefs: 'notifications:set-prefs',
  reportConnection: 'connection:report',
  probeServer: 'connection:probe',
  reportAlerts: 'alerts:report',
} as const satisfies Record<string, InvokeChannel>;

/** The preload's event subscriptions, one per event channel. */
export const API_EVENTS = {
  onServerStateChanged: 'server:state-changed',
  onMenuCommand: 'menu:command',
  onConnectionWake: 'connection:wake',
  onAlertFocus: 'alerts:focus',
} as const satisfies Record<string, EventChannel>;

type ApiMethods = typeof API_METHODS;
type ApiEvents = typeof API_EVENTS;

/** Compile-time checks: every channel has its named method (a missing one fails to build). */
type Exhaustive<T extends never> = T;
export type EveryInvokeChannelExposed = Exhaustive<
  Exclude<InvokeChannel, ApiMethods[keyof ApiMethods]>
>;
export type EveryEventChannelExposed = Exhaustive<
  Exclude<EventChannel, ApiEvents[keyof ApiEvents]>
>;

/** `window.opsdeck` in the desktop app: what main/preload.cts exposes. */
export type OpsdeckDesktopApi = {
  readonly [M in keyof ApiMethods]: (
    ...args: InvokeArgs<ApiMethods[M]>
  ) => Promise<InvokeResult<ApiMethods[M]>>;
} & {
  /** Subscribes; returns the unsubscribe function. */
  readonly [E in keyof ApiEvents]: (
    listener: (payload: IpcEventContract[ApiEvents[E]]) => void,
  ) => () => void;
};
