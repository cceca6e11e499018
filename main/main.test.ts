/**
 * The composed app against the fake electron, with the REAL embedded server (`opsdeck demo`)
 * started through the Node launcher: window, protocol, permissions, IPC, menu, tray, quit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DesktopProfile } from '../common/ipc.js';
import {
  app as fakeApp,
  fake,
  powerMonitor,
  type FakeMenuItem,
} from '../test/helpers/fakeElectron.js';
import { OPEN_ORDERS_HIGH } from '../test/helpers/reportedAlerts.js';
import { INVOKE_CHANNELS } from './ipc/argSchemas.js';
import { startOpsdeck, type RunningOpsdeck } from './main.js';
import { appRoot } from './paths.js';
import { nodeLauncher } from './embedded/nodeLauncher.js';

vi.mock('electron', () => import('../test/helpers/fakeElectron.js'));

// Recorded at import, before the ready event.
const schemesAtImport = [...fake.state.privilegedSchemes];
let running: RunningOpsdeck | undefined;

afterEach(async () => {
  if (running && !fake.state.quitted) {
    fakeApp.quit();
    await running.stopped;
  }
  running = undefined;
  fake.reset();
});

function menuItem(label: string): FakeMenuItem {
  const find = (items: FakeMenuItem[]): FakeMenuItem | undefined => {
    for (const item of items) {
      if (item.label === label) return item;
      const inner = item.submenu ? find(item.submenu) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  const item = find(fake.state.applicationMenu?.items ?? []);
  if (!item) throw new Error(`no menu item ${label}`);
  return item;
}

describe('startOpsdeck', () => {
  it('registers app:// as privileged before ready', () => {
    expect(schemesAtImport).toMatchObject([
      { scheme: 'app', privileges: { standard: true, secure: true } },
    ]);
  });

  it('runs the demo in the embedded server and wires window, IPC, menu, tray and quit', async () => {
    fake.reset();
    running = await startOpsdeck({ launcher: nodeLauncher });
    if (!running) throw new Error('did not start');
    const window = fake.state.windows[0]!;
    expect(window.loadedUrl).toBe('app://opsdeck/index.html');
    expect(window.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      preload: join(appRoot(), 'dist', 'main', 'preload.cjs'),
    });
    expect(fake.state.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(await fake.state.defaultSession.requestPermission({}, 'media')).toBe(false);
    expect(fake.state.protocolHandlers.has('app')).toBe(true);
    expect([...fake.state.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(fake.state.trays).toHaveLength(1);
    expect(fake.state.trays[0]!.image.isEmpty()).toBe(false);
    if (process.platform !== 'darwin') {
      expect(window.options.icon).toBe(join(appRoot(), 'assets', 'icons', '256x256.png'));
    }

    // The console's first question waits for the embedded server's URL.
    const profiles = (await fake.invoke('profiles:list', {
      sender: window.webContents,
    })) as DesktopProfile[];
    const demo = profiles[0]!;
    expect(demo).toMatchObject({ id: 'local-demo', name: 'Local demo', builtin: true });
    expect(demo.urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.token).toMatch(/^[\w-]{32}$/);
    const sections = await fetch(`${demo.urls[0]!}/api/sections`, {
      headers: { Authorization: `Bearer ${demo.token!}` },
    });
    expect(sections.status).toBe(200);
    const stateEvents = window.webContents.sent.filter((m) => m.channel === 'server:state-changed');
    expect(stateEvents.at(-1)?.payload).toMatchObject({ status: 'running', url: demo.urls[0] });
    expect(existsSync(join(fake.state.userData, 'demo.db'))).toBe(true);

    // The console reports its connection: the tray follows.
    await fake.invoke(
      'connection:report',
      { sender: window.webContents },
      { phase: 'connected', targetName: 'Local demo', unhealthySections: [] },
    );
    expect(fake.state.trays[0]!.tooltip).toBe('Opsdeck: connected to Local demo');

    // File > Connect… asks the console to open its dialog.
    menuItem('Connect to Server…').click?.();
    expect(window.webContents.sent.at(-1)).toEqual({
      channel: 'menu:command',
      payload: { kind: 'open-connect-dialog' },
    });
    menuItem('Kiosk Mode').click?.();
    expect(window.kiosk).toBe(true);
    expect(menuItem('Kiosk Mode').checked).toBe(true);
    expect(window.loadedUrl).toBe('app://opsdeck/index.html?kiosk'); // the console's TV mode

    // A firing alert: one notification, the tray counts it; a click focuses its card.
    const alert = OPEN_ORDERS_HIGH;
    const alerts = { loud: [alert], sound: false };
    await fake.invoke('alerts:report', { sender: window.webContents }, alerts);
    await fake.invoke('alerts:report', { sender: window.webContents }, alerts);
    expect(fake.state.notifications.map((n) => n.options.title)).toEqual(['Warning: Key figures']);
    expect(fake.state.trays[0]!.tooltip).toMatch(/— 1 alert needs attention$/);
    fake.state.notifications[0]!.emit('click');
    expect(window.webContents.sent.at(-1)).toEqual({
      channel: 'alerts:focus',
      payload: { id: 'open-orders-high', section: 'kpis' },
    });
    // View > Mute Alerts: persisted, and the next firing is not told.
    menuItem('Mute Alerts').click?.();
    await vi.waitFor(() => expect(menuItem('Mute Alerts').checked).toBe(true));
    const later = { ...alert, since: '2026-12-01T16:00:00.000Z' };
    await fake.invoke(
      'alerts:report',
      { sender: window.webContents },
      { loud: [later], sound: true },
    );
    expect(fake.state.notifications).toHaveLength(1);
    // Waking from sleep asks the console to reconnect at once.
    powerMonitor.emit('resume');
    expect(window.webContents.sent.at(-1)).toEqual({
      channel: 'connection:wake',
      payload: { reason: 'resume' },
    });
    menuItem('Open Logs Folder').click?.();
    expect(fake.state.openedPaths).toEqual([join(fake.state.userData, 'logs')]);

    // Quitting stops the server first.
    fakeApp.quit();
    expect(fake.state.quitted).toBe(false);
    await running.stopped;
    expect(fake.state.quitted).toBe(true);
    expect(running.server.getState().status).toBe('stopped');
    await expect(fetch(`${demo.urls[0]!}/healthz`)).rejects.toThrow();
    const log = readFileSync(join(fake.state.userData, 'logs', 'opsdeck.log'), 'utf8');
    expect(log).toContain(`[server] listening on ${demo.urls[0]!}`);
    expect(log).not.toContain(demo.token!);
  });

  it('exits at once when another instance runs, and a second launch focuses the window', async () => {
    fake.reset();
    fake.state.singleInstanceLock = false;
    expect(await startOpsdeck({ launcher: nodeLauncher })).toBeUndefined();
    expect(fake.state.quitRequests).toBe(1);
    expect(fake.state.windows).toHaveLength(0);

    fake.reset();
    running = await startOpsdeck({ launcher: nodeLauncher });
    const window = fake.state.windows[0]!;
    window.minimize();
    fakeApp.secondInstance();
    expect(window.minimized).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.focused).toBe(true);
  });
});
