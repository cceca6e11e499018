import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, NotificationPrefs } from '../../common/ipc.js';

export interface MenuDeps {
  platform: NodeJS.Platform;
  /** Developer tools only in development. */
  packaged: boolean;
  /** For File > Recent profiles, newest first. */
  recentProfiles: { id: string; name: string }[];
  kiosk: boolean;
  /** View > Mute Alerts: no alert notifications or sounds. */
  alertsMuted: boolean;
  /** View > Notify When: the connection-lost and section-failing notifications. */
  notifications: NotificationPrefs;
  /** Sends a command to the console. */
  send: (command: MenuCommand) => void;
  toggleKiosk: () => void;
  toggleAlertsMuted: () => void;
  toggleNotification: (which: keyof NotificationPrefs) => void;
  openLogsFolder: () => void;
  showAbout: () => void;
  quit: () => void;
}

/**
 * The application menu as a template (pure, so it can be tested): File (Connect… Ctrl/Cmd+K,
 * Local demo, Recent profiles, Quit), Edit, View (Reload, Full screen, Kiosk mode: full screen and the
 * console's TV mode; Mute alerts; Notify when the connection is lost / a section fails), Help (About,
 * Open logs folder); plus the app and Window menus on macOS.
 */
export function menuTemplate(deps: MenuDeps): MenuItemConstructorOptions[] {
  const mac = deps.platform === 'darwin';
  const recent: MenuItemConstructorOptions[] =
    deps.recentProfiles.length > 0
      ? deps.recentProfiles.map((p) => ({
          label: p.name,
          click: () => deps.send({ kind: 'connect-profile', profileId: p.id }),
        }))
      : [{ label: 'No recent profiles', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      {
        label: 'Connect to Server…',
        accelerator: 'CmdOrCtrl+K',
        click: () => deps.send({ kind: 'open-connect-dialog' }),
      },
      { label: 'Local Demo', click: () => deps.send({ kind: 'local-demo' }) },
      { label: 'Recent Profiles', submenu: recent },
      { type: 'separator' },
      mac
        ? { role: 'close' }
        : { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => deps.quit() },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(deps.packaged ? [] : [{ role: 'toggleDevTools' } as const]),
      { type: 'separator' },
      { role: 'togglefullscreen' },
      {
        label: 'Kiosk Mode',
        type: 'checkbox',
        checked: deps.kiosk,
        accelerator: 'CmdOrCtrl+Shift+K',
        click: () => deps.toggleKiosk(),
      },
      { type: 'separator' },
      {
        label: 'Mute Alerts',
        type: 'checkbox',
        checked: deps.alertsMuted,
        click: () => deps.toggleAlertsMuted(),
      },
      {
        label: 'Notify When',
        submenu: [
          {
            label: 'Connection Is Lost',
            type: 'checkbox',
            checked: deps.notifications.connectionLost,
            click: () => deps.toggleNotification('connectionLost'),
          },
          {
            label: 'A Section Fails',
            type: 'checkbox',
            checked: deps.notifications.sectionUnhealthy,
            click: () => deps.toggleNotification('sectionUnhealthy'),
          },
        ],
      },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'About Opsdeck', click: () => deps.showAbout() },
      { label: 'Open Logs Folder', click: () => deps.openLogsFolder() },
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    view,
    ...(mac ? [{ role: 'windowMenu' } as const] : []),
    help,
  ];
}

/** Installs the menu; call the returned function to rebuild it (recent profiles, kiosk, mute). */
export function setupMenu(deps: () => MenuDeps): () => void {
  const build = () => Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(deps())));
  build();
  return build;
}
