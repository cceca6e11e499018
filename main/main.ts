/**
 * The Electron main process: one setupX() per feature, composed here (Electron Fiddle style).
 * Single instance -> ready -> app:// protocol -> embedded server -> profiles -> window -> menu,
 * tray, notifications -> IPC -> stop the server on quit.
 */
import { join } from 'node:path';
import { app, session, shell, type BrowserWindow } from 'electron';
import {
  LOCAL_DEMO_PROFILE_ID,
  type AppInfo,
  type EventChannel,
  type IpcEventContract,
} from '../common/ipc.js';
import { registerHandlers } from './ipc/registerHandlers.js';
import { senderCheck } from './ipc/senderCheck.js';
import { RotatingLog } from './log/RotatingLog.js';
import { setupMenu } from './menu/buildMenu.js';
import { setKioskView } from './menu/kioskView.js';
import { setupAlertNotifier } from './notifications/setupAlertNotifier.js';
import { setupNotifier } from './notifications/setupNotifier.js';
import { appPaths } from './paths.js';
import { setupWake } from './power/setupWake.js';
import { PreferencesStore } from './preferences/PreferencesStore.js';
import { ProfileStore } from './profiles/ProfileStore.js';
import { safeStorageCipher } from './profiles/tokenCipher.js';
import type { ServerLauncher } from './embedded/launcher.js';
import type { ServerSupervisor } from './embedded/ServerSupervisor.js';
import { localDemoProfile, setupEmbeddedServer } from './embedded/setupEmbeddedServer.js';
import { stopOnQuit } from './embedded/stopOnQuit.js';
import { utilityLauncher } from './embedded/utilityLauncher.js';
import { setupSingleInstance } from './singleInstance.js';
import { setupTray } from './tray/setupTray.js';
import { registerAppScheme, serveConsole } from './window/appProtocol.js';
import { createMainWindow } from './window/createMainWindow.js';
import { openExternalChecked } from './window/externalUrl.js';
import { denyAllPermissions } from './window/permissions.js';

export interface StartOptions {
  /** How to run the embedded server (tests: the Node launcher). */
  launcher?: ServerLauncher;
}

export interface RunningOpsdeck {
  window(): BrowserWindow | undefined;
  server: ServerSupervisor;
  profiles: ProfileStore;
  /** Resolves once a quit has stopped the server. */
  stopped: Promise<void>;
}

// Privileged schemes must be registered before the ready event.
registerAppScheme();

export async function startOpsdeck(
  options: StartOptions = {},
): Promise<RunningOpsdeck | undefined> {
  let window: BrowserWindow | undefined;
  const showWindow = () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  if (!setupSingleInstance(showWindow)) return undefined;
  await app.whenReady();

  const paths = appPaths();
  const log = new RotatingLog(paths.logFile);
  log.write('main', `Opsdeck ${app.getVersion()} starting`);
  denyAllPermissions(session.defaultSession);
  serveConsole(paths.consoleDir);
  app.setAboutPanelOptions({ applicationName: 'Opsdeck', applicationVersion: app.getVersion() });

  const server = setupEmbeddedServer({ paths, log, launcher: options.launcher ?? utilityLauncher });
  const profiles = await ProfileStore.open({
    file: paths.profilesFile,
    cipher: safeStorageCipher(),
    builtins: () => [localDemoProfile(server.getState())],
    defaultActiveId: LOCAL_DEMO_PROFILE_ID,
    log: (line) => log.write('profiles', line),
  });
  const prefs = await PreferencesStore.open(paths.preferencesFile);

  const openExternal = (url: string): boolean =>
    openExternalChecked(url, (refused) =>
      log.write('main', `did not open ${JSON.stringify(refused.slice(0, 200))}`),
    );
  const send = <E extends EventChannel>(channel: E, payload: IpcEventContract[E]) => {
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  };
  const openWindow = () => {
    const created = createMainWindow({
      preload: paths.preload,
      stateFile: paths.windowStateFile,
      openExternal,
      ...(process.platform === 'darwin'
        ? {}
        : { icon: join(paths.assetsDir, 'icons', '256x256.png') }),
    });
    created.on('closed', () => (window = undefined));
    window = created;
  };
  openWindow();

  const tray = setupTray({ assetsDir: paths.assetsDir, showWindow, quit: () => app.quit() });
  const notifier = setupNotifier({ prefs: () => prefs.get(), showWindow });
  const alertNotifier = setupAlertNotifier({
    muted: () => prefs.alertsMuted(),
    showWindow,
    focusAlert: (focus) => send('alerts:focus', focus),
  });
  const wake = setupWake({ send: (signal) => send('connection:wake', signal) });
  server.onStateChange((state) => {
    send('server:state-changed', state);
    if (state.status === 'failed')
      notifier.serverFailed(state.message ?? 'It could not be started.');
  });
  const rebuildMenu = setupMenu(() => ({
    platform: process.platform,
    packaged: app.isPackaged,
    recentProfiles: profiles.recent(),
    kiosk: window?.isKiosk() ?? false,
    alertsMuted: prefs.alertsMuted(),
    notifications: prefs.get(),
    send: (command) => {
      showWindow();
      send('menu:command', command);
    },
    toggleKiosk: () => {
      if (window) setKioskView(window, !window.isKiosk());
      rebuildMenu();
    },
    toggleAlertsMuted: () => void prefs.setAlertsMuted(!prefs.alertsMuted()).then(rebuildMenu),
    toggleNotification: (which) =>
      void prefs.update({ [which]: !prefs.get()[which] }).then(rebuildMenu),
    openLogsFolder: () => void shell.openPath(paths.logsDir),
    showAbout: () => app.showAboutPanel(),
    quit: () => app.quit(),
  }));
  profiles.onChange(rebuildMenu);

  registerHandlers({
    isTrustedSender: senderCheck(() => window),
    profiles,
    server,
    prefs,
    openExternal: (url) => Promise.resolve(openExternal(url)),
    appInfo,
    onConnectionReport: (report) => {
      tray.update(report);
      notifier.report(report);
    },
    onAlertsReport: (report) => {
      tray.alerts(report.loud.length);
      alertNotifier.report(report);
    },
  });

  const stopped = stopOnQuit(
    () => server.stop(),
    () => {
      notifier.dispose();
      wake.dispose();
      tray.destroy();
      log.write('main', 'quit');
      log.close();
    },
  );
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!window) openWindow();
  });
  return { window: () => window, server, profiles, stopped };
}

function appInfo(): AppInfo {
  return {
    name: app.getName(),
    version: app.getVersion(),
    electron: process.versions.electron,
    chrome: process.versions.chrome,
    node: process.versions.node,
    platform: process.platform,
    packaged: app.isPackaged,
  };
}

// Electron's main process starts the app; tests import startOpsdeck with their own launcher.
if (process.type === 'browser') void startOpsdeck();
