/**
 * Runs main/preload.cts as Electron's sandbox does (one CommonJS script, the sandbox wrapper's
 * arguments, a `require` that knows only electron/events/timers/url) against the fake electron,
 * and returns what it exposed as `window.opsdeck`. Used by main/preload.test.ts and the IPC fuzz.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import type { OpsdeckDesktopApi } from '../../common/ipc.js';
import * as fakeElectron from './fakeElectron.js';

/** The modules a sandboxed preload may require; only electron is expected. */
const SANDBOX_MODULES = new Set(['electron', 'events', 'timers', 'url']);

let compiled: string | undefined;

/** The preload as CommonJS, transpiled once per test file. */
function preloadScript(): string {
  const source = readFileSync(new URL('../../main/preload.cts', import.meta.url), 'utf8');
  return (compiled ??= ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText);
}

export interface SandboxedPreload {
  /** What the preload exposed as `window.opsdeck`. */
  api: OpsdeckDesktopApi;
  /** Every module id it required, in order. */
  required: string[];
}

/**
 * Runs the preload once. A require of a module the sandbox does not have throws "module not
 * found", one of the sandbox's other modules "unexpected require"; either fails the load.
 */
export function runSandboxedPreload(): SandboxedPreload {
  const outputText = preloadScript();
  const required: string[] = [];
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (!SANDBOX_MODULES.has(id)) throw new Error(`module not found: ${id}`);
    if (id !== 'electron') throw new Error(`unexpected require of ${id}`);
    return { contextBridge: fakeElectron.contextBridge, ipcRenderer: fakeElectron.ipcRenderer };
  };
  const module = { exports: {} };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the sandbox's own wrapper
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
  const api = fakeElectron.fake.state.exposed.get('opsdeck') as OpsdeckDesktopApi | undefined;
  if (!api) throw new Error('window.opsdeck was not exposed');
  return { api, required };
}

/** The preload's `window.opsdeck`, loaded as the sandbox loads it. */
export function loadSandboxedPreload(): OpsdeckDesktopApi {
  return runSandboxedPreload().api;
}
