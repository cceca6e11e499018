/** The application menu template: items, accelerators, commands sent to the console. */
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../common/ipc.js';
import { menuTemplate, type MenuDeps } from './buildMenu.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

function deps(overrides: Partial<MenuDeps> = {}) {
  const sent: MenuCommand[] = [];
  const calls: string[] = [];
  const d: MenuDeps = {
    platform: 'linux',
    packaged: true,
    recentProfiles: [
      { id: 'p1', name: 'Production' },
      { id: 'local-demo', name: 'Local demo' },
    ],
    kiosk: false,
    alertsMuted: false,
    notifications: { connectionLost: true, sectionUnhealthy: false },
    send: (c) => sent.push(c),
    toggleKiosk: () => calls.push('kiosk'),
    toggleAlertsMuted: () => calls.push('mute'),
    toggleNotification: (which) => calls.push(which),
    openLogsFolder: () => calls.push('logs'),
    showAbout: () => calls.push('about'),
    quit: () => calls.push('quit'),
    ...overrides,
  };
  return { d, sent, calls };
}

function submenu(menu: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const item = menu.find((m) => m.label === label || m.role === label);
  if (!Array.isArray(item?.submenu)) throw new Error(`no submenu ${label}`);
  return item.submenu;
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.();
}

describe('menuTemplate', () => {
  it('has File, Edit, View and Help on Windows/Linux', () => {
    const menu = menuTemplate(deps().d);
    expect(menu.map((m) => m.label ?? m.role)).toEqual(['File', 'editMenu', 'View', 'help']);
  });

  it('File: Connect… (Ctrl/Cmd+K), Local demo, recent profiles, Quit', () => {
    const { d, sent, calls } = deps();
    const file = submenu(menuTemplate(d), 'File');
    const connect = file.find((i) => i.label === 'Connect to Server…');
    expect(connect?.accelerator).toBe('CmdOrCtrl+K');
    click(connect);
    click(file.find((i) => i.label === 'Local Demo'));
    const recent = submenu(file, 'Recent Profiles');
    expect(recent.map((i) => i.label)).toEqual(['Production', 'Local demo']);
    click(recent[0]);
    click(file.find((i) => i.label === 'Quit'));
    expect(sent).toEqual([
      { kind: 'open-connect-dialog' },
      { kind: 'local-demo' },
      { kind: 'connect-profile', profileId: 'p1' },
    ]);
    expect(calls).toEqual(['quit']);
  });

  it('shows a disabled placeholder without recent profiles', () => {
    const file = submenu(menuTemplate(deps({ recentProfiles: [] }).d), 'File');
    expect(submenu(file, 'Recent Profiles')).toEqual([
      { label: 'No recent profiles', enabled: false },
    ]);
  });

  it('View: Reload, Full screen, Kiosk mode, Mute alerts (checked states, toggles); no devtools when packaged', () => {
    const { d, calls } = deps({ kiosk: true, alertsMuted: true });
    const view = submenu(menuTemplate(d), 'View');
    expect(view.map((i) => i.role ?? i.label ?? i.type)).toEqual([
      'reload',
      'separator',
      'togglefullscreen',
      'Kiosk Mode',
      'separator',
      'Mute Alerts',
      'Notify When',
    ]);
    const kiosk = view.find((i) => i.label === 'Kiosk Mode');
    expect(kiosk).toMatchObject({ type: 'checkbox', checked: true });
    click(kiosk);
    const mute = view.find((i) => i.label === 'Mute Alerts');
    expect(mute).toMatchObject({ type: 'checkbox', checked: true });
    click(mute);
    const notify = view.find((i) => i.label === 'Notify When')?.submenu as
      MenuItemConstructorOptions[] | undefined;
    expect(notify?.map((i) => [i.label, i.checked])).toEqual([
      ['Connection Is Lost', true],
      ['A Section Fails', false],
    ]);
    for (const item of notify ?? []) click(item);
    expect(calls).toEqual(['kiosk', 'mute', 'connectionLost', 'sectionUnhealthy']);
    const unmuted = submenu(menuTemplate(deps().d), 'View');
    expect(unmuted.find((i) => i.label === 'Mute Alerts')?.checked).toBe(false);
    const dev = submenu(menuTemplate(deps({ packaged: false }).d), 'View');
    expect(dev.map((i) => i.role)).toContain('toggleDevTools');
  });

  it('Help: About and Open logs folder', () => {
    const { d, calls } = deps();
    const help = submenu(menuTemplate(d), 'help');
    for (const item of help) click(item);
    expect(help.map((i) => i.label)).toEqual(['About Opsdeck', 'Open Logs Folder']);
    expect(calls).toEqual(['about', 'logs']);
  });

  it('adds the app and Window menus on macOS', () => {
    const menu = menuTemplate(deps({ platform: 'darwin' }).d);
    expect(menu.map((m) => m.label ?? m.role)).toEqual([
      'appMenu',
      'File',
      'editMenu',
      'View',
      'windowMenu',
      'help',
    ]);
  });
});
