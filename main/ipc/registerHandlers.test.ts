/**
 * Every IPC handler checks its sender (our window's web contents, top frame, app://opsdeck) and
 * validates its payload with the contract's schemas.
 */
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LOCAL_DEMO_PROFILE_ID,
  type AlertsReport,
  type ConnectionReport,
  type EmbeddedServerState,
} from '../../common/ipc.js';
import { serverProbeSchema } from '../../common/serverProbe.js';
import {
  BrowserWindow,
  FakeFrame,
  fake,
  type FakeBrowserWindow,
} from '../../test/helpers/fakeElectron.js';
import { OPEN_ORDERS_HIGH } from '../../test/helpers/reportedAlerts.js';
import { PreferencesStore } from '../preferences/PreferencesStore.js';
import { ProfileStore } from '../profiles/ProfileStore.js';
import { safeStorageCipher } from '../profiles/tokenCipher.js';
import { checkExternalUrl } from '../window/externalUrl.js';
import { INVOKE_CHANNELS } from './argSchemas.js';
import { registerHandlers } from './registerHandlers.js';
import { senderCheck } from './senderCheck.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

let window: FakeBrowserWindow;
let serverState: EmbeddedServerState;
let reports: ConnectionReport[];
let alertReports: AlertsReport[];
let opened: string[];

const APP = 'app://opsdeck/index.html';
const profile = { id: 'p1', name: 'Cluster', urls: ['https://a.example', 'https://b.example'] };

beforeEach(async () => {
  fake.reset();
  window = new BrowserWindow({});
  await window.loadURL(APP);
  serverState = { status: 'running', url: 'http://127.0.0.1:41234', token: 'demo', crashes: 0 };
  reports = [];
  alertReports = [];
  opened = [];
  const profiles = await ProfileStore.open({
    file: join(fake.state.userData, 'profiles.json'),
    cipher: safeStorageCipher('linux'),
    builtins: () => [
      {
        id: LOCAL_DEMO_PROFILE_ID,
        name: 'Local demo',
        urls: serverState.url ? [serverState.url] : [],
      },
    ],
    defaultActiveId: LOCAL_DEMO_PROFILE_ID,
  });
  registerHandlers({
    isTrustedSender: senderCheck(() => window as never),
    profiles,
    server: {
      getState: () => serverState,
      whenSettled: () => Promise.resolve(serverState),
      restart: () => Promise.resolve(),
    },
    prefs: await PreferencesStore.open(join(fake.state.userData, 'preferences.json')),
    openExternal: (url) => {
      const checked = checkExternalUrl(url);
      if (checked) opened.push(checked);
      return Promise.resolve(checked !== undefined);
    },
    appInfo: () => ({
      name: 'Opsdeck',
      version: '0.1.0',
      electron: '45',
      chrome: '140',
      node: '22',
      platform: 'linux',
      packaged: false,
    }),
    onConnectionReport: (r) => reports.push(r),
    onAlertsReport: (r) => alertReports.push(r),
  });
});

/** Invokes as our window's top frame. */
function call(channel: string, ...args: unknown[]): Promise<unknown> {
  return fake.invoke(channel, { sender: window.webContents }, ...args);
}

describe('registerHandlers', () => {
  it('registers exactly the channels of the contract', () => {
    expect([...fake.state.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('answers our window', async () => {
    expect(await call('profiles:get-active')).toBe(LOCAL_DEMO_PROFILE_ID);
    expect(await call('profiles:save', profile)).toEqual(profile);
    expect(await call('profiles:list')).toEqual([
      { id: LOCAL_DEMO_PROFILE_ID, name: 'Local demo', urls: [serverState.url], builtin: true },
      profile,
    ]);
    expect(await call('server:get-state')).toEqual(serverState);
    expect(await call('notifications:set-prefs', { connectionLost: false })).toEqual({
      connectionLost: false,
      sectionUnhealthy: true,
    });
    const report: ConnectionReport = { phase: 'connected', unhealthySections: [] };
    expect(await call('connection:report', report)).toBeUndefined();
    expect(reports).toEqual([report]);
  });

  it('probes a server URL from the main process, over real sockets', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused: unknown = await call('connection:probe', `http://127.0.0.1:${port}`);
    expect(serverProbeSchema.parse(refused)).toMatchObject({
      outcome: 'refused',
      code: 'ECONNREFUSED',
      port,
    });
    const postgres: unknown = await call('connection:probe', 'http://127.0.0.1:5432');
    expect(serverProbeSchema.parse(postgres)).toMatchObject({ outcome: 'not_http', port: 5432 });
    await expect(
      fake.invoke('connection:probe', { sender: fake.foreignWebContents(APP) }, 'http://a:1'),
    ).rejects.toThrow(/refused/);
  });

  describe('sender checks', () => {
    it('refuses a frame of a foreign origin in our window', async () => {
      for (const frameUrl of [
        'https://evil.example/',
        'http://127.0.0.1:41234/',
        'file:///tmp/x.html',
        'app://opsdeck.evil/index.html',
        'app://other/index.html',
        'devtools://devtools/bundled/inspector.html',
      ]) {
        await expect(
          fake.invoke('profiles:list', { sender: window.webContents, frameUrl }),
          frameUrl,
        ).rejects.toThrow(/refused/);
      }
    });

    it('refuses another web contents, even one showing our origin', async () => {
      const other = fake.foreignWebContents(APP);
      await expect(fake.invoke('profiles:list', { sender: other })).rejects.toThrow(/refused/);
      await expect(
        fake.invoke('shell:open-external', { sender: other }, 'https://example.com'),
      ).rejects.toThrow(/refused/);
      expect(opened).toEqual([]);
    });

    it('refuses subframes, vanished frames and a closed window', async () => {
      const top = new FakeFrame(APP);
      const child = new FakeFrame(APP, top);
      await expect(
        fake.invoke('profiles:list', { sender: window.webContents, frame: child }),
      ).rejects.toThrow(/refused/);
      await expect(
        fake.invoke('profiles:list', { sender: window.webContents, frame: null }),
      ).rejects.toThrow(/refused/);
      window.close();
      await expect(call('profiles:list')).rejects.toThrow(/refused/);
    });
  });

  describe('payload validation', () => {
    it('refuses malformed profiles', async () => {
      for (const bad of [
        undefined,
        'p1',
        { ...profile, id: '../../etc' },
        { ...profile, name: '' },
        { ...profile, urls: [] },
        { ...profile, urls: ['javascript:alert(1)'] },
        { ...profile, urls: ['file:///etc/passwd'] },
        { ...profile, token: 42 },
      ]) {
        await expect(call('profiles:save', bad), JSON.stringify(bad)).rejects.toThrow(
          /profiles:save: invalid arguments/,
        );
      }
    });

    it('refuses extra arguments, bad ids, unknown keys and bad enums', async () => {
      await expect(call('profiles:list', 'extra')).rejects.toThrow(/invalid arguments/);
      await expect(call('profiles:set-active', 'a b')).rejects.toThrow(/not a profile id/);
      await expect(call('profiles:delete')).rejects.toThrow(/invalid arguments/);
      await expect(call('notifications:set-prefs', { connectionLost: 'yes' })).rejects.toThrow(
        /invalid arguments/,
      );
      await expect(call('notifications:set-prefs', { evil: true })).rejects.toThrow(
        /invalid arguments/,
      );
      await expect(
        call('connection:report', { phase: 'hacked', unhealthySections: [] }),
      ).rejects.toThrow(/invalid arguments/);
      expect(reports).toEqual([]);
    });

    it('opens only checked http(s) links externally', async () => {
      expect(await call('shell:open-external', 'https://github.com/')).toBe(true);
      expect(await call('shell:open-external', 'javascript:alert(1)')).toBe(false);
      expect(await call('shell:open-external', 'file:///etc/passwd')).toBe(false);
      await expect(call('shell:open-external', 42)).rejects.toThrow(/invalid arguments/);
      expect(opened).toEqual(['https://github.com/']);
    });

    it('probes only http(s) URLs', async () => {
      for (const bad of [
        'file:///etc/passwd',
        'javascript:alert(1)',
        42,
        'http://a b',
        'x'.repeat(3000),
      ]) {
        await expect(call('connection:probe', bad), String(bad)).rejects.toThrow(
          /connection:probe: invalid arguments/,
        );
      }
    });

    it('takes well-formed alert reports only', async () => {
      const alert = OPEN_ORDERS_HIGH;
      expect(await call('alerts:report', { loud: [alert], sound: false })).toBeUndefined();
      for (const bad of [
        { loud: [{ ...alert, severity: 'panic' }], sound: false },
        { loud: [{ ...alert, since: 'yesterday' }], sound: false },
        { loud: [{ ...alert, message: 'x'.repeat(3000) }], sound: false },
        { loud: [{ ...alert, html: '<img>' }], sound: false },
        { loud: [], sound: 'yes' },
        { loud: 'all' },
      ]) {
        await expect(call('alerts:report', bad), JSON.stringify(bad)).rejects.toThrow(
          /alerts:report: invalid arguments/,
        );
      }
      expect(alertReports).toEqual([{ loud: [alert], sound: false }]);
    });

    it('refuses changes to the built-in local demo', async () => {
      await expect(
        call('profiles:save', { id: LOCAL_DEMO_PROFILE_ID, name: 'x', urls: ['http://a'] }),
      ).rejects.toThrow(/built-in/);
    });
  });
});
