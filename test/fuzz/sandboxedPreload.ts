/**
 * Runs main/preload.cts as Electron's sandbox does (one CommonJS script, the sandbox wrapper's
 * arguments, a `require` that knows only electron) against the fake electron, and returns what it
 * exposed as `window.opsdeck`. The same loading as main/preload.test.ts.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import type { OpsdeckDesktopApi } from '../../common/ipc.js';
import * as fakeElectron from '../helpers/fakeElectron.js';

let compiled: string | undefined;

/** The preload as CommonJS, transpiled once per test file. */
function preloadScript(): string {
  const source = readFileSync(new URL('../../main/preload.cts', import.meta.url), 'utf8');
  return (compiled ??= ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText);
}

export function loadSandboxedPreload(): OpsdeckDesktopApi {
  const outputText = preloadScript();
  const sandboxRequire = (id: string) => {
    if (id !== 'electron') throw new Error(`module not found: ${id}`);
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
  return api;
}
