/** Remembered window bounds: sane on a missing display, saved on close. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, BrowserWindow } from '../../test/helpers/fakeElectron.js';
import {
  DEFAULT_WINDOW_STATE,
  fitToDisplays,
  loadWindowState,
  trackWindowState,
  type WindowState,
} from './windowState.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

const laptop = { x: 0, y: 0, width: 1440, height: 860 };
const external = { x: 1440, y: 0, width: 2560, height: 1400 };
const saved: WindowState = {
  x: 1600,
  y: 100,
  width: 1800,
  height: 1000,
  maximized: false,
  fullScreen: false,
};

beforeEach(() => fake.reset());

describe('fitToDisplays', () => {
  it('keeps a position that is still on a display', () => {
    expect(fitToDisplays(saved, [laptop, external])).toEqual(saved);
  });

  it('drops the position when its display is gone, and shrinks the size to fit', () => {
    expect(fitToDisplays(saved, [laptop])).toEqual({
      width: 1440,
      height: 860,
      maximized: false,
      fullScreen: false,
    });
  });

  it('drops a position whose title bar is off screen', () => {
    const above = { ...saved, x: 100, y: -500, width: 800, height: 600 };
    expect(fitToDisplays(above, [laptop])).not.toHaveProperty('x');
    const barelyVisible = { ...saved, x: 1400, y: 100, width: 800, height: 600 };
    expect(fitToDisplays(barelyVisible, [laptop])).not.toHaveProperty('x');
  });

  it('enforces the minimum size and survives no displays at all', () => {
    expect(fitToDisplays({ ...saved, width: 10, height: 10 }, [external])).toMatchObject({
      width: 640,
      height: 400,
    });
    expect(fitToDisplays(saved, [])).toEqual(DEFAULT_WINDOW_STATE);
  });
});

describe('loadWindowState / trackWindowState', () => {
  it('falls back to the default for a missing or corrupt file', () => {
    const file = join(fake.state.userData, 'window-state.json');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(file, '{"width": "wide"');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(file, JSON.stringify({ width: -1, height: 2, maximized: false, fullScreen: 1 }));
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('saves the bounds and modes on close, and restores them', () => {
    const file = join(fake.state.userData, 'window-state.json');
    const window = new BrowserWindow({ width: 900, height: 700 });
    trackWindowState(window as never, file);
    window.setBounds({ x: 40, y: 50, width: 1000, height: 720 });
    window.maximize();
    window.close();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      x: 40,
      y: 50,
      width: 1000,
      height: 720,
      maximized: true,
      fullScreen: false,
    });
    expect(loadWindowState(file)).toMatchObject({ x: 40, y: 50, maximized: true });
  });

  it('saves after moves and resizes, debounced', async () => {
    const file = join(fake.state.userData, 'window-state.json');
    const window = new BrowserWindow({ width: 900, height: 700 });
    trackWindowState(window as never, file, 20);
    window.setBounds({ x: 1, y: 2 });
    window.setBounds({ x: 3, y: 4 });
    await vi.waitFor(() =>
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ x: 3, y: 4 }),
    );
  });
});
