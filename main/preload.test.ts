/**
 * The preload as Electron runs it in a sandboxed renderer: one CommonJS script, evaluated with
 * the sandbox's wrapper arguments and a `require` that knows only electron/events/timers/url.
 * It must expose named methods for every channel, check their arguments, and leak nothing raw.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  API_EVENTS,
  API_METHODS,
  type EmbeddedServerState,
  type OpsdeckDesktopApi,
} from '../common/ipc.js';
import { fake } from '../test/helpers/fakeElectron.js';
import { runSandboxedPreload } from '../test/helpers/sandboxedPreload.js';

beforeEach(() => fake.reset());

describe('preload', () => {
  it('runs as a sandboxed script requiring only electron, and exposes only window.opsdeck', () => {
    const { required } = runSandboxedPreload();
    expect(required).toEqual(['electron']);
    expect([...fake.state.exposed.keys()]).toEqual(['opsdeck']);
  });

  it('exposes exactly one named function per contract method and event', () => {
    const { api } = runSandboxedPreload();
    const names = Object.keys(api).sort();
    expect(names).toEqual([...Object.keys(API_METHODS), ...Object.keys(API_EVENTS)].sort());
    for (const name of names) expect(typeof api[name as keyof OpsdeckDesktopApi]).toBe('function');
    expect(names).not.toContain('ipcRenderer');
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/invoke|send|process|env/);
  });

  it('maps every method to its channel with the checked arguments', async () => {
    const { api } = runSandboxedPreload();
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
    const { api } = runSandboxedPreload();
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
    const { api } = runSandboxedPreload();
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
