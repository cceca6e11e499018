import { readFileSync } from 'node:fs';

export const PRODUCT_NAME = 'opsdeck';

/** The package version, read once from package.json (two levels up from source and from dist). */
export const PRODUCT_VERSION: string = readVersion();

function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'opsdeck' && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}
