/**
 * The preload as Electron runs it in a sandboxed renderer: one CommonJS script, evaluated with
 * the sandbox's wrapper arguments and a `require` that knows only electron/events/timers/url.
 * It must expose named methods for every channel, check their arguments, and leak nothing raw.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  API_EVENTS,
  API_METHODS,
  type EmbeddedServerState,
  type OpsdeckDesktopApi,
} from '../common/ipc.js';
import * as fakeElectron from '../test/helpers/fakeElectron.js';

const { fake } = fakeElectron;
const SANDBOX_MODULES = new Set(['electron', 'events', 'timers', 'url']);

function loadPreload(): { api: OpsdeckDesktopApi; required: string[] } {
  const source = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const required: string[] = [];
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (!SANDBOX_MODULES.has(id)) throw new Error(`module not found: ${id}`);
    if (id !== 'electron') throw new Error(`unexpected require of ${id}`);
    return { contextBridge: fakeElectron.contextBridge, ipcRenderer: fakeElectron.ipcRenderer };
  };
  const module = { exports: {} };
  // The parameters Electron's sandboxed preload wrapper passes.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function(
    'require',
    'process',
    'Buffer',
    'global',
    'setImmediate',
    'clearImmediate',
    'exports',
    'module',
    outputText,
  ) as (...args: unknown[]) => void;
  run(sandboxRequire, {}, Buffer, {}, setImmediate, clearImmediate, module.exports, module);
  const api = fake.state.exposed.get('opsdeck') as OpsdeckDesktopApi | undefined;
  if (!api) throw new Error('window.opsdeck was not exposed');
  return { api, required };
}

beforeEach(() => fake.reset());

describe('preload', () => {
  it('runs as a sandboxed script requiring only electron, and exposes only window.opsdeck', () => {
    const { required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect([...fake.state.exposed.keys()]).toEqual(['opsdeck']);
  });

  it('exposes exactly one named function per contract method and event', () => {
    const { api } = loadPreload();
    const names = Object.keys(api).sort();
    expect(names).toEqual([...Object.keys(API_METHODS), ...Object.keys(API_EVENTS)].sort());
    for (const name of names) expect(typeof api[name as keyof OpsdeckDesktopApi]).toBe('function');
    expect(names).not.toContain('ipcRenderer');
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/invoke|send|process|env/);
  });

  it('maps every method to its channel with the checked arguments', async () => {
    const { api } = loadPreload();
    const profile = { id: 'p1', name: 'P', urls: ['http://a:1'], token: 't' };
    await api.listProfiles();
    await api.saveProfile({ ...profile, extra: 'dropped' } as typeof profile);
    await api.deleteProfile('p1');
    await api.getActiveProfileId();
    await api.setActiveProfileId('p1');
    await api.storageWarning();
    await api.getServerState();
    await api.restartServer();
    await api.openExternal('https://example.com');
    await api.getAppInfo();
    await api.getNotificationPrefs();
    await api.setNotificationPrefs({ connectionLost: false });
    await api.reportConnection({ phase: 'connected', unhealthySections: [] });
    await api.probeServer('http://db.internal:5432');
    const alert = {
      id: 'hot',
      section: 'kpis',
      sectionTitle: 'Key figures',
      severity: 'warning' as const,
      since: '2026-12-01T15:30:00.000Z',
      message: 'hot',
    };
    await api.reportAlerts({ loud: [{ ...alert, extra: 'dropped' } as typeof alert], sound: true });
    expect(fake.state.invoked).toEqual([
      { channel: 'profiles:list', args: [] },
      { channel: 'profiles:save', args: [profile] },
      { channel: 'profiles:delete', args: ['p1'] },
      { channel: 'profiles:get-active', args: [] },
      { channel: 'profiles:set-active', args: ['p1'] },
      { channel: 'profiles:storage-warning', args: [] },
      { channel: 'server:get-state', args: [] },
      { channel: 'server:restart', args: [] },
      { channel: 'shell:open-external', args: ['https://example.com'] },
      { channel: 'app:info', args: [] },
      { channel: 'notifications:get-prefs', args: [] },
      { channel: 'notifications:set-prefs', args: [{ connectionLost: false }] },
      { channel: 'connection:report', args: [{ phase: 'connected', unhealthySections: [] }] },
      { channel: 'connection:probe', args: ['http://db.internal:5432'] },
      { channel: 'alerts:report', args: [{ loud: [alert], sound: true }] },
    ]);
    const channels = fake.state.invoked.map((i) => i.channel).sort();
    expect(channels).toEqual(Object.values(API_METHODS).sort());
  });

  it('rejects bad arguments without calling the main process', async () => {
    const { api } = loadPreload();
    const loose = api as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await expect(loose.saveProfile!(null)).rejects.toThrow(/profile must be an object/);
    await expect(loose.saveProfile!({ id: 'p', name: 'P', urls: 'x' })).rejects.toThrow(/urls/);
    await expect(loose.deleteProfile!(42)).rejects.toThrow(/id must be a string/);
    await expect(loose.openExternal!({ href: 'x' })).rejects.toThrow(/url must be a string/);
    await expect(loose.setNotificationPrefs!({ connectionLost: 'no' })).rejects.toThrow(
      /connectionLost/,
    );
    await expect(loose.reportConnection!({ phase: 'connected' })).rejects.toThrow(
      /unhealthySections/,
    );
    await expect(loose.probeServer!(['http://a'])).rejects.toThrow(/url must be a string/);
    await expect(loose.reportAlerts!({ loud: {}, sound: false })).rejects.toThrow(/loud/);
    await expect(loose.reportAlerts!({ loud: [], sound: 'on' })).rejects.toThrow(/sound/);
    expect(fake.state.invoked).toEqual([]);
  });

  it('delivers events without the IPC event object, and unsubscribes', () => {
    const { api } = loadPreload();
    const received: unknown[][] = [];
    const off = api.onServerStateChanged((...args: unknown[]) => received.push(args));
    const state: EmbeddedServerState = { status: 'running', url: 'http://127.0.0.1:1', crashes: 0 };
    fake.emitToRenderer('server:state-changed', state);
    expect(received).toEqual([[state]]);
    off();
    fake.emitToRenderer('server:state-changed', state);
    expect(received).toHaveLength(1);

    const commands: unknown[] = [];
    api.onMenuCommand((c) => commands.push(c));
    fake.emitToRenderer('menu:command', { kind: 'open-connect-dialog' });
    expect(commands).toEqual([{ kind: 'open-connect-dialog' }]);
    expect(() => api.onMenuCommand('nope' as never)).toThrow(/listener must be a function/);

    const wakes: unknown[] = [];
    api.onConnectionWake((w) => wakes.push(w));
    api.onAlertFocus((f) => wakes.push(f));
    fake.emitToRenderer('connection:wake', { reason: 'resume' });
    fake.emitToRenderer('alerts:focus', { id: 'hot', section: 'kpis' });
    expect(wakes).toEqual([{ reason: 'resume' }, { id: 'hot', section: 'kpis' }]);
  });
});
