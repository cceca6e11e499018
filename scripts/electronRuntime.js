// Where the Electron runtime binary is, and whether it can be obtained, WITHOUT require('electron'):
// electron's index.js starts a download when the binary is missing, which must not happen as a
// side effect of a check (these machines have no route to the download host).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

/** The installed electron package's version, or undefined when it is not installed. */
export function electronVersion() {
  try {
    return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * The Electron executable, resolved as electron's own index.js does (path.txt, or
 * ELECTRON_OVERRIDE_DIST_PATH), but never downloading.
 * @returns {{ path: string } | { reason: string }}
 */
export function findElectronBinary() {
  if (!electronVersion()) return { reason: 'the electron package is not installed' };
  let relative;
  try {
    relative = readFileSync(join(electronDir, 'path.txt'), 'utf8');
  } catch {
    relative = undefined;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, relative ?? 'electron');
    return existsSync(path) ? { path } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${path}` };
  }
  if (relative === undefined) return { reason: 'its binary was never downloaded' };
  const path = join(electronDir, 'dist', relative);
  return existsSync(path) ? { path } : { reason: `${path} is missing` };
}

/** The platform and arch electron's installer downloads for (npm's overrides, else this host). */
export const host = {
  platform: process.env.npm_config_platform ?? process.platform,
  arch: process.env.npm_config_arch ?? process.arch,
};

/** The release zip electron-builder and electron's installer fetch for a platform. */
export function electronZipName(version = electronVersion(), target = host) {
  return `electron-v${version}-${target.platform}-${target.arch}.zip`;
}

function electronZipUrl(version, target) {
  const mirror =
    process.env.ELECTRON_MIRROR ??
    process.env.npm_config_electron_mirror ??
    'https://github.com/electron/electron/releases/download/';
  const dir = process.env.ELECTRON_CUSTOM_DIR ?? `v${version}`;
  return `${mirror.endsWith('/') ? mirror : `${mirror}/`}${dir}/${electronZipName(version, target)}`;
}

/** Download caches of @electron/get (electron's installer) and of electron-builder. */
function cacheDirs() {
  const home = homedir();
  const dirs = [process.env.electron_config_cache, process.env.ELECTRON_BUILDER_CACHE];
  if (process.platform === 'darwin') {
    dirs.push(join(home, 'Library/Caches/electron'), join(home, 'Library/Caches/electron-builder'));
  } else if (process.platform === 'win32') {
    const local = process.env.LOCALAPPDATA ?? join(home, 'AppData/Local');
    dirs.push(join(local, 'electron/Cache'), join(local, 'electron-builder/Cache'));
  } else {
    const cache = process.env.XDG_CACHE_HOME ?? join(home, '.cache');
    dirs.push(join(cache, 'electron'), join(cache, 'electron-builder'));
  }
  return dirs.filter((dir) => dir !== undefined && dir !== '');
}

/** True when the release zip is already in a download cache (no network needed). */
export function electronZipCached(version = electronVersion(), target = host) {
  const name = electronZipName(version, target);
  const search = (dir, depth) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((entry) =>
      entry.isDirectory()
        ? depth > 0 && search(join(dir, entry.name), depth - 1)
        : entry.name === name,
    );
  };
  return cacheDirs().some((dir) => search(dir, 3));
}

/**
 * Whether the release zip can be fetched: a HEAD request with a short timeout.
 * @returns {Promise<{ ok: true } | { ok: false, reason: string }>}
 */
export async function probeElectronDownload(version, target = host, timeoutMs = 5000) {
  const url = electronZipUrl(version, target);
  try {
    const response = await fetch(url, {
      method: 'HEAD',
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok ? { ok: true } : { ok: false, reason: `${url} answered ${response.status}` };
  } catch (error) {
    const cause = error?.cause?.code ?? error?.cause?.message ?? error?.name ?? 'error';
    return { ok: false, reason: `${new URL(url).host} unreachable (${cause})` };
  }
}

/**
 * Can the Electron release for a platform be obtained (cached, or downloadable)?
 * @returns {Promise<{ ok: true } | { ok: false, reason: string }>}
 */
export async function electronObtainable(version = electronVersion(), target = host) {
  if (!version) return { ok: false, reason: 'the electron package is not installed' };
  if (electronZipCached(version, target)) return { ok: true };
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return { ok: false, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  }
  return probeElectronDownload(version, target);
}

/** Runs a command with inherited output; resolves to its exit code (signals count as 1). */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('error', () => resolve(1));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** The project's `npm run build` (tsc -b and the Vite console build). */
export function build() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return run(npm, ['run', 'build', '--silent'], { shell: process.platform === 'win32' });
}

/** Path of a package's bin script, run with this Node (no shell, works on every platform). */
export function binScript(pkg, file) {
  return join(root, 'node_modules', pkg, file);
}
