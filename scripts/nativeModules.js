// Native addons (better-sqlite3) are compiled for one runtime at a time: Node (npm install, the CLI,
// the tests) or Electron (the desktop app). Switching rebuilds in place, so each build is kept in
// node_modules/.cache and swapped back: the Electron session never leaves the tests broken, and
// the second `npm start` does not recompile.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { binScript, electronVersion, root, run } from './electronRuntime.js';

const addons = [{ pkg: 'better-sqlite3', file: 'build/Release/better_sqlite3.node' }];

function pkgVersion(pkg) {
  return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

const cacheDir = join(root, 'node_modules', '.cache', 'opsdeck-native');

function cachePath(addon, runtime) {
  const key = `${runtime}-${process.platform}-${process.arch}`;
  return join(cacheDir, addon.pkg, pkgVersion(addon.pkg), key, addon.file.split('/').pop());
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
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(root, 'node_modules', addon.pkg, addon.file), target);
}

function restore(addon, runtime) {
  const source = cachePath(addon, runtime);
  if (!existsSync(source)) return false;
  // A failed rebuild may have removed the whole build/ folder.
  const target = join(root, 'node_modules', addon.pkg, addon.file);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  return true;
}

/** `electron-builder install-app-deps`, its output kept in a log file; resolves to the exit code. */
function installAppDeps(logFile) {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  return new Promise((resolve) => {
    // The subcommand: electron-builder 26's install-app-deps.js shim does nothing when run directly.
    const child = spawn(
      process.execPath,
      [binScript('electron-builder', 'cli.js'), 'install-app-deps'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', () => resolve(1));
    child.on('close', (code) => log.end(() => resolve(code ?? 1)));
  });
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
  console.log(
    `opsdeck: rebuilding native modules for Electron ${electronVersion()} (first start only)`,
  );
  const logFile = join(cacheDir, 'install-app-deps.log');
  const code = await installAppDeps(logFile);
  // Electron's ABI is not Node's: an addon that still loads in Node was not rebuilt.
  const rebuilt = code === 0 && addons.every((addon) => !loadsInNode(addon));
  if (!rebuilt) {
    console.error(
      `opsdeck: electron-builder install-app-deps failed (exit ${code}); see ${relative(root, logFile)}`,
    );
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
