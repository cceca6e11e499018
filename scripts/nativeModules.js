// Native addons (better-sqlite3) are compiled for one runtime at a time: Node (npm install, the CLI,
// the tests) or Electron (the desktop app). Switching rebuilds in place, so each build is kept in
// node_modules/.cache and swapped back: the Electron session never leaves the tests broken, and
// the second `npm start` does not recompile.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binScript, electronVersion, root, run } from './electronRuntime.js';

const addons = [{ pkg: 'better-sqlite3', file: 'build/Release/better_sqlite3.node' }];

function pkgVersion(pkg) {
  return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

function cachePath(addon, runtime) {
  const key = `${runtime}-${process.platform}-${process.arch}`;
  const base = join(root, 'node_modules', '.cache', 'opsdeck-native', addon.pkg);
  return join(base, pkgVersion(addon.pkg), key, addon.file.split('/').pop());
}

const nodeRuntime = () => `node-abi${process.versions.modules}`;
const electronRuntime = () => `electron-${electronVersion()}`;

/** Does the addon in place load in this Node? (A child process: a failed dlopen sticks.) */
function loadsInNode(addon) {
  const probe = `require(${JSON.stringify(join(root, 'node_modules', addon.pkg, addon.file))})`;
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore' }).status === 0;
}

function save(addon, runtime) {
  const target = cachePath(addon, runtime);
  mkdirSync(join(target, '..'), { recursive: true });
  copyFileSync(join(root, 'node_modules', addon.pkg, addon.file), target);
}

function restore(addon, runtime) {
  const source = cachePath(addon, runtime);
  if (!existsSync(source)) return false;
  copyFileSync(source, join(root, 'node_modules', addon.pkg, addon.file));
  return true;
}

/**
 * Puts the Electron build of every addon in place, compiling it with
 * `electron-builder install-app-deps` the first time (needs Electron's headers: network).
 * @returns {Promise<boolean>} false when the rebuild failed
 */
export async function useElectronBuilds() {
  let missing = false;
  for (const addon of addons) {
    if (loadsInNode(addon)) save(addon, nodeRuntime());
    if (!restore(addon, electronRuntime())) missing = true;
  }
  if (!missing) return true;
  const code = await run(process.execPath, [binScript('electron-builder', 'install-app-deps.js')]);
  if (code !== 0) {
    await useNodeBuilds();
    return false;
  }
  for (const addon of addons) save(addon, electronRuntime());
  return true;
}

/** Puts the Node build of every addon back (from the cache, else `npm rebuild`). */
export async function useNodeBuilds() {
  const stale = addons.filter((addon) => !loadsInNode(addon));
  for (const addon of stale) {
    if (restore(addon, nodeRuntime()) && loadsInNode(addon)) continue;
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    console.log(`opsdeck: rebuilding ${addon.pkg} for Node`);
    await run(npm, ['rebuild', addon.pkg], { shell: process.platform === 'win32' });
  }
}

/** Keeps a copy of the current Node builds (before electron-builder rebuilds them in place). */
export function saveNodeBuilds() {
  for (const addon of addons) if (loadsInNode(addon)) save(addon, nodeRuntime());
}
