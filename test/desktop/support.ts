import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron');

/** The installed electron package's version (the runtime the app is built for). */
export function electronVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ELECTRON_DIR, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * The Electron executable, found as electron's own index.js finds it (path.txt, or
 * ELECTRON_OVERRIDE_DIST_PATH) but without its side effect: require('electron') starts a download
 * when the binary is missing. Same rules as scripts/electronRuntime.js.
 */
export function findElectronBinary(): { path: string } | { reason: string } {
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, relative ?? 'electron');
    return existsSync(path) ? { path } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${path}` };
  }
  if (relative === undefined) {
    return { reason: `the Electron ${electronVersion()} binary was never downloaded` };
  }
  const path = join(ELECTRON_DIR, 'dist', relative);
  return existsSync(path) ? { path } : { reason: `${path} is missing` };
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(file: string): { width: number; height: number } {
  const data = readFileSync(file);
  const signature = '89504e470d0a1a0a';
  if (data.subarray(0, 8).toString('hex') !== signature) throw new Error(`${file}: not a PNG`);
  if (data.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error(`${file}: no IHDR`);
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** PNG colour type (6 = RGBA, so the icon has an alpha channel). */
export function pngColourType(file: string): number {
  return readFileSync(file)[25] ?? -1;
}

/** The square sizes stored in a Windows .ico (a width byte of 0 means 256). */
export function icoSizes(file: string): number[] {
  const data = readFileSync(file);
  if (data.readUInt16LE(0) !== 0 || data.readUInt16LE(2) !== 1)
    throw new Error(`${file}: not an ICO`);
  const count = data.readUInt16LE(4);
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) {
    const width = data[6 + i * 16] ?? 0;
    const height = data[7 + i * 16] ?? 0;
    if (width !== height) throw new Error(`${file}: entry ${i} is not square`);
    sizes.push(width === 0 ? 256 : width);
  }
  return sizes;
}

/** The element types of a macOS .icns (ic10 = 1024 px, ic09 = 512 px, ...). */
export function icnsTypes(file: string): string[] {
  const data = readFileSync(file);
  if (data.subarray(0, 4).toString('latin1') !== 'icns') throw new Error(`${file}: not an ICNS`);
  if (data.readUInt32BE(4) !== data.length) throw new Error(`${file}: truncated`);
  const types: string[] = [];
  for (let offset = 8; offset + 8 <= data.length;) {
    const length = data.readUInt32BE(offset + 4);
    if (length < 8) throw new Error(`${file}: bad element at ${offset}`);
    types.push(data.subarray(offset, offset + 4).toString('latin1'));
    offset += length;
  }
  return types;
}
