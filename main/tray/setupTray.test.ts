/** The tray: icon and tooltip follow the reported connection; Show and Quit. */
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, type FakeImage } from '../../test/helpers/fakeElectron.js';
import { appRoot } from '../paths.js';
import { setupTray } from './setupTray.js';
import { TRAY_COLORS, trayBitmap, trayIconPath, trayState } from './trayIcon.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

const ASSETS = join(appRoot(), 'assets');

beforeEach(() => fake.reset());

/** BGRA of the center pixel of a drawn (fallback) icon. */
function center(image: FakeImage): number[] {
  const offset = ((image.height / 2) * image.width + image.width / 2) * 4;
  return [...image.bitmap.subarray(offset, offset + 4)];
}

describe('tray', () => {
  it('maps connection phases to the icon states', () => {
    expect(trayState('connected')).toBe('connected');
    expect(trayState('connecting')).toBe('reconnecting');
    expect(trayState('reconnecting')).toBe('reconnecting');
    expect(trayState('unreachable')).toBe('disconnected');
    expect(trayState('unauthorized')).toBe('disconnected');
    expect(trayState('idle')).toBe('idle');
  });

  it('uses the icons in assets/tray: 32 px on Linux, 16 px elsewhere', () => {
    expect(trayIconPath('/a', 'connected', 'linux')).toBe(join('/a', 'tray', 'connected-32.png'));
    expect(trayIconPath('/a', 'idle', 'win32')).toBe(join('/a', 'tray', 'idle-16.png'));
  });

  it('changes icon and tooltip with the connection; Show and Quit work', () => {
    const calls: string[] = [];
    const tray = setupTray({
      assetsDir: ASSETS,
      platform: 'linux',
      showWindow: () => calls.push('show'),
      quit: () => calls.push('quit'),
    });
    const fakeTray = fake.state.trays[0]!;
    expect(fakeTray.image.path).toBe(join(ASSETS, 'tray', 'idle-32.png'));
    expect(fakeTray.image.isEmpty()).toBe(false);

    tray.update({ phase: 'connected', targetName: 'Production', unhealthySections: [] });
    expect(fakeTray.tooltip).toBe('Opsdeck: connected to Production');
    expect(fakeTray.image.path).toBe(join(ASSETS, 'tray', 'connected-32.png'));
    tray.update({ phase: 'reconnecting', targetName: 'Production', unhealthySections: [] });
    expect(fakeTray.tooltip).toBe('Opsdeck: connecting to Production');
    expect(fakeTray.image.path).toBe(join(ASSETS, 'tray', 'reconnecting-32.png'));
    tray.update({ phase: 'unreachable', targetName: 'Production', unhealthySections: [] });
    expect(fakeTray.image.path).toBe(join(ASSETS, 'tray', 'disconnected-32.png'));

    const items = fakeTray.contextMenu?.items ?? [];
    expect(items.map((i) => i.label ?? i.type)).toEqual(['Show Opsdeck', 'separator', 'Quit']);
    items[0]?.click?.();
    items[2]?.click?.();
    fakeTray.emit('click');
    expect(calls).toEqual(['show', 'quit', 'show']);
    tray.destroy();
    expect(fakeTray.destroyed).toBe(true);
  });

  it('counts the alerts that need attention: tooltip, macOS title and dock badge', () => {
    const tray = setupTray({
      assetsDir: ASSETS,
      platform: 'darwin',
      showWindow: () => 0,
      quit: () => 0,
    });
    const fakeTray = fake.state.trays[0]!;
    tray.update({ phase: 'connected', targetName: 'Production', unhealthySections: [] });
    tray.alerts(2);
    expect(fakeTray.tooltip).toBe('Opsdeck: connected to Production — 2 alerts need attention');
    expect(fakeTray.title).toBe('2');
    expect(fake.state.badgeCount).toBe(2);
    // The connection changing keeps the count in the tooltip.
    tray.update({ phase: 'reconnecting', targetName: 'Production', unhealthySections: [] });
    expect(fakeTray.tooltip).toBe('Opsdeck: connecting to Production — 2 alerts need attention');
    tray.alerts(1);
    expect(fakeTray.tooltip).toMatch(/— 1 alert needs attention$/);
    tray.alerts(0);
    expect(fakeTray.tooltip).toBe('Opsdeck: connecting to Production');
    expect(fakeTray.title).toBe('');
    expect(fake.state.badgeCount).toBe(0);
  });

  it('leaves the badge alone on Windows (no launcher badge there)', () => {
    const tray = setupTray({
      assetsDir: ASSETS,
      platform: 'win32',
      showWindow: () => 0,
      quit: () => 0,
    });
    tray.alerts(3);
    expect(fake.state.trays[0]!.tooltip).toBe('Opsdeck — 3 alerts need attention');
    expect(fake.state.badgeCount).toBe(0);
  });

  it('draws coloured discs when the icon files are missing', () => {
    const tray = setupTray({ assetsDir: '/nowhere', showWindow: () => 0, quit: () => 0 });
    const fakeTray = fake.state.trays[0]!;
    const [r, g, b] = TRAY_COLORS.idle;
    expect(center(fakeTray.image)).toEqual([b, g, r, 255]);
    tray.update({ phase: 'connected', unhealthySections: [] });
    const [r2, g2, b2] = TRAY_COLORS.connected;
    expect(center(fakeTray.image)).toEqual([b2, g2, r2, 255]);
    expect(fakeTray.image.scaleFactor).toBe(2);
  });

  it('draws an opaque disc with transparent corners', () => {
    const bitmap = trayBitmap([10, 20, 30], 32);
    expect(bitmap.length).toBe(32 * 32 * 4);
    expect([...bitmap.subarray(0, 4)]).toEqual([30, 20, 10, 0]);
    const mid = (16 * 32 + 16) * 4;
    expect([...bitmap.subarray(mid, mid + 4)]).toEqual([30, 20, 10, 255]);
  });
});
