/**
 * Property-based fuzzing of every IPC channel of the desktop app (issue 15, part 2), end to end
 * with the fake electron (test/helpers/fakeElectron.ts): the real preload (main/preload.cts, run
 * as the sandbox runs it) calls through a renderer->main hop that structured-clones the arguments
 * as Electron does, into the real handlers of main/ipc/registerHandlers.ts (sender check, zod).
 *
 * Holds, for any arguments to any method of window.opsdeck: it never throws, it returns a promise
 * that settles, and a refusal is an Error that says what was wrong (the preload's check, or the
 * main process's "invalid arguments"); the main side never rejects with anything else and nothing
 * goes unhandled. Raw invokes on every channel (past the preload, as a compromised renderer
 * would) hold the same.
 */
import { fc, it } from '@fast-check/vitest';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, vi } from 'vitest';
import {
  API_EVENTS,
  API_METHODS,
  LOCAL_DEMO_PROFILE_ID,
  type OpsdeckDesktopApi,
} from '../../common/ipc.js';
import { INVOKE_CHANNELS } from '../../main/ipc/argSchemas.js';
import { registerHandlers } from '../../main/ipc/registerHandlers.js';
import { senderCheck } from '../../main/ipc/senderCheck.js';
import { PreferencesStore } from '../../main/preferences/PreferencesStore.js';
import { ProfileStore } from '../../main/profiles/ProfileStore.js';
import { safeStorageCipher } from '../../main/profiles/tokenCipher.js';
import * as fakeElectron from '../helpers/fakeElectron.js';
import { ipcArgs } from './ipcArbitraries.js';
import { loadSandboxedPreload } from '../helpers/sandboxedPreload.js';

vi.mock('electron', () => import('../helpers/fakeElectron.js'));

const { fake } = fakeElectron;
const APP = 'app://opsdeck/index.html';
const RUNS = 1000;
/** Generous: the property runs are quick, the machine may be loaded. */
const TIMEOUT_MS = 180_000;
/**
 * What a refusal says: the preload's argument check, the main process's validation, a clone that
 * failed, or the caller's own exception (its getter threw while the preload read it).
 */
// ...or a well-formed request the main process refuses on its merits (ProfileStore: an id that
// names no saved profile, a change to a built-in one), in words too.
const REFUSAL =
  /must be|must have|invalid arguments|could not be cloned|getter boom|no profile with id|built-in profiles cannot be/;

let api: OpsdeckDesktopApi;
let window: fakeElectron.FakeBrowserWindow;
const unhandled: unknown[] = [];

/** Renderer -> main as Electron does it: arguments structured-cloned, then the handler. */
function invokeThroughIpc(channel: string, ...args: unknown[]): Promise<unknown> {
  let cloned: unknown[];
  try {
    cloned = structuredClone(args);
  } catch {
    return Promise.reject(
      new Error(`Error invoking remote method '${channel}': An object could not be cloned.`),
    );
  }
  return fake.invoke(channel, { sender: window.webContents }, ...cloned);
}

async function setUp(): Promise<void> {
  fake.reset();
  window = new fakeElectron.BrowserWindow({});
  await window.loadURL(APP);
  const profiles = await ProfileStore.open({
    file: join(fake.state.userData, 'profiles.json'),
    cipher: safeStorageCipher('linux'),
    builtins: () => [
      { id: LOCAL_DEMO_PROFILE_ID, name: 'Local demo', urls: ['http://127.0.0.1:1'] },
    ],
    defaultActiveId: LOCAL_DEMO_PROFILE_ID,
  });
  registerHandlers({
    isTrustedSender: senderCheck(() => window as never),
    profiles,
    server: {
      getState: () => ({ status: 'running', url: 'http://127.0.0.1:1', token: 'demo', crashes: 0 }),
      whenSettled: () =>
        Promise.resolve({
          status: 'running',
          url: 'http://127.0.0.1:1',
          token: 'demo',
          crashes: 0,
        }),
      restart: () => Promise.resolve(),
    },
    prefs: await PreferencesStore.open(join(fake.state.userData, 'preferences.json')),
    // Nothing leaves the test: the URL check is the handler's, the opening is not.
    openExternal: () => Promise.resolve(false),
    appInfo: () => ({
      name: 'Opsdeck',
      version: '0',
      electron: '0',
      chrome: '0',
      node: '0',
      platform: 'linux',
      packaged: false,
    }),
    onConnectionReport: () => undefined,
    onAlertsReport: () => undefined,
    probeServer: (url) =>
      Promise.resolve({
        outcome: 'refused',
        stage: 'tcp',
        host: url.slice(0, 64),
        port: 1,
        elapsedMs: 0,
      }),
  });
  fakeElectron.ipcRenderer.invoke = invokeThroughIpc;
  api = loadSandboxedPreload();
}

/** Settles `result`; the problem with it, if any. */
async function problemOf(what: string, call: () => unknown): Promise<string | undefined> {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    return `${what} threw ${String(error)}`;
  }
  if (!(result instanceof Promise)) return `${what} returned ${typeof result}, not a promise`;
  try {
    await result;
    return undefined;
  } catch (error) {
    if (!(error instanceof Error)) return `${what} rejected with a non-Error: ${String(error)}`;
    if (!REFUSAL.test(error.message)) return `${what} rejected unexpectedly: ${error.message}`;
    return undefined;
  }
}

const methodNames = Object.keys(API_METHODS) as (keyof typeof API_METHODS)[];
const eventNames = Object.keys(API_EVENTS) as (keyof typeof API_EVENTS)[];

describe('IPC fuzzing (preload -> structured clone -> main handlers, fake electron)', () => {
  beforeAll(() => {
    process.on('unhandledRejection', (reason) => unhandled.push(reason));
  });
  // @fast-check/vitest runs it before every property run: each starts from a fresh main process.
  beforeEach(setUp);

  it.prop([fc.constantFrom(...methodNames), ipcArgs], { numRuns: RUNS })(
    'any arguments to any window.opsdeck method: a promise that resolves or is refused in words',
    async (method, args) => {
      const call = api[method] as (...a: unknown[]) => unknown;
      expect(
        await problemOf(`${method}(${args.length} args)`, () => call(...args)),
      ).toBeUndefined();
      expect(unhandled).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it.prop([fc.constantFrom(...INVOKE_CHANNELS), ipcArgs], { numRuns: RUNS })(
    'any arguments on any channel past the preload: resolved or "invalid arguments", never a crash',
    async (channel, args) => {
      expect(await problemOf(channel, () => invokeThroughIpc(channel, ...args))).toBeUndefined();
      expect(unhandled).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it.prop([fc.constantFrom(...eventNames), ipcArgs], { numRuns: 300 })(
    'event subscriptions: a function in, an unsubscribe out; anything else a TypeError',
    (event, args) => {
      const subscribe = api[event] as (...a: unknown[]) => unknown;
      try {
        const unsubscribe = subscribe(...args);
        expect(typeof args[0]).toBe('function');
        expect(typeof unsubscribe).toBe('function');
        (unsubscribe as () => void)();
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError);
        expect(typeof args[0]).not.toBe('function');
      }
    },
    TIMEOUT_MS,
  );
});
