/**
 * The console window against the fake electron: Electron's security checklist in its options,
 * navigation and new windows denied (checked http(s) links go to the browser), permissions denied.
 */
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, type FakeBrowserWindow } from '../../test/helpers/fakeElectron.js';
import { createMainWindow } from './createMainWindow.js';
import { checkExternalUrl, openExternalChecked } from './externalUrl.js';
import { denyAllPermissions } from './permissions.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

let opened: string[];

function openWindow(): FakeBrowserWindow {
  opened = [];
  createMainWindow({
    preload: '/app/dist/main/preload.cjs',
    stateFile: join(fake.state.userData, 'window-state.json'),
    openExternal: (url) => opened.push(url),
  });
  const window = fake.state.windows.at(-1);
  if (!window) throw new Error('no window created');
  return window;
}

beforeEach(() => fake.reset());

describe('createMainWindow', () => {
  it('uses the secure web preferences and the preload', () => {
    const window = openWindow();
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/dist/main/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(window.options.webPreferences).not.toHaveProperty('enableRemoteModule');
  });

  it('loads the console from the custom protocol and shows it when ready', () => {
    const window = openWindow();
    expect(window.loadedUrl).toBe('app://opsdeck/index.html');
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('prevents navigation away from the app and opens http(s) targets in the browser', () => {
    const contents = openWindow().webContents;
    expect(contents.navigate('https://evil.example/phish')).toBe(true);
    expect(contents.navigate('http://127.0.0.1:3001/')).toBe(true);
    expect(opened).toEqual(['https://evil.example/phish', 'http://127.0.0.1:3001/']);
    // Within the app's own origin (a reload of the console) navigation is allowed.
    expect(contents.navigate('app://opsdeck/index.html')).toBe(false);
  });

  it('refuses javascript:, file:, data: and other schemes outright', () => {
    const contents = openWindow().webContents;
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'smb://server/share',
      'app://other/index.html',
      'ms-settings:',
    ]) {
      expect(contents.navigate(url)).toBe(true);
      expect(contents.openWindow(url)).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual([]);
  });

  it('denies every new window; a checked https link opens externally', () => {
    const contents = openWindow().webContents;
    expect(contents.openWindow('https://github.com/opsdeck')).toEqual({ action: 'deny' });
    expect(contents.openWindow('app://opsdeck/index.html')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://github.com/opsdeck']);
  });

  it('refuses to attach <webview>s', () => {
    expect(openWindow().webContents.attachWebview()).toBe(true);
  });
});

describe('denyAllPermissions', () => {
  it('denies permission requests and checks', async () => {
    const session = fake.state.defaultSession;
    denyAllPermissions(session as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid']) {
      expect(await session.requestPermission({}, permission)).toBe(false);
      expect(session.permissionCheckHandler?.({}, permission, 'app://opsdeck', {})).toBe(false);
    }
    expect(session.deviceHandler?.({})).toBe(false);
  });
});

describe('checkExternalUrl', () => {
  it('accepts http(s) URLs and normalises them', () => {
    expect(checkExternalUrl('https://Example.com/a b')).toBe('https://example.com/a%20b');
    expect(checkExternalUrl('http://10.0.0.1:3001/x?y=1#z')).toBe('http://10.0.0.1:3001/x?y=1#z');
  });

  it('refuses everything else', () => {
    for (const url of [
      '',
      'not a url',
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'file:///C:/Windows/system32/calc.exe',
      'vbscript:msgbox',
      'https://user:pass@example.com/',
      'https://example.com/' + 'a'.repeat(2100),
    ]) {
      expect(checkExternalUrl(url), url).toBeUndefined();
    }
  });

  it('openExternalChecked hands only checked URLs to shell.openExternal', () => {
    const refused: string[] = [];
    expect(openExternalChecked('https://opsdeck.dev/docs', (u) => refused.push(u))).toBe(true);
    expect(openExternalChecked('file:///etc/passwd', (u) => refused.push(u))).toBe(false);
    expect(fake.state.openedExternal).toEqual(['https://opsdeck.dev/docs']);
    expect(refused).toEqual(['file:///etc/passwd']);
  });
});
