/** View > Kiosk Mode: full screen without a frame, and the console reloaded in or out of TV mode. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow, fake } from '../../test/helpers/fakeElectron.js';
import { consoleUrl, setKioskView } from './kioskView.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

beforeEach(() => fake.reset());

describe('setKioskView', () => {
  it('enters and leaves the kiosk with the console in and out of ?kiosk', () => {
    const window = new BrowserWindow({});
    setKioskView(window as never, true);
    expect(window.kiosk).toBe(true);
    expect(window.loadedUrl).toBe('app://opsdeck/index.html?kiosk');
    setKioskView(window as never, false);
    expect(window.kiosk).toBe(false);
    expect(window.loadedUrl).toBe(consoleUrl(false));
    expect(consoleUrl(false)).toBe('app://opsdeck/index.html');
  });
});
