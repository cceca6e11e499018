import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';

export interface AppPaths {
  userData: string;
  logsDir: string;
  logFile: string;
  profilesFile: string;
  preferencesFile: string;
  windowStateFile: string;
  demoDb: string;
  /** The built console (vite -> dist/console). */
  consoleDir: string;
  /** The compiled preload (main/preload.cts -> dist/main/preload.cjs). */
  preload: string;
  /** The server's command line entry, started in a utilityProcess. */
  serverEntry: string;
  /** Runtime images (assets/tray, assets/icons), packed into the app by electron-builder. */
  assetsDir: string;
}

/**
 * The app's root folder, from this file's location: `<root>/dist/main/paths.js` when compiled
 * (in development and inside app.asar alike), `<root>/main/paths.ts` in the unit tests.
 * Not app.getAppPath(): `electron dist/main/main.js` makes that dist/main.
 */
export function appRoot(moduleDir = dirname(fileURLToPath(import.meta.url))): string {
  return basename(dirname(moduleDir)) === 'dist'
    ? resolve(moduleDir, '..', '..')
    : resolve(moduleDir, '..');
}

/** Where everything lives: data in the user-data folder (created if needed), code under the root. */
export function appPaths(root = appRoot()): AppPaths {
  const userData = app.getPath('userData');
  const logsDir = join(userData, 'logs');
  mkdirSync(logsDir, { recursive: true });
  return {
    userData,
    logsDir,
    logFile: join(logsDir, 'opsdeck.log'),
    profilesFile: join(userData, 'profiles.json'),
    preferencesFile: join(userData, 'preferences.json'),
    windowStateFile: join(userData, 'window-state.json'),
    demoDb: join(userData, 'demo.db'),
    consoleDir: join(root, 'dist', 'console'),
    preload: join(root, 'dist', 'main', 'preload.cjs'),
    serverEntry: join(root, 'bin', 'opsdeck.js'),
    assetsDir: join(root, 'assets'),
  };
}
