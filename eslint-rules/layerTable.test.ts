import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layers, overlays, runtimes } from './layerTable.js';
import { pathPattern } from './pathPattern.js';

const root = join(import.meta.dirname, '..');
const IGNORED = /^(?:\.git|node_modules|dist|coverage|test-artifacts)(?:\/|$)/;
const CODE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Every code file of the working tree, as repository-relative POSIX paths. */
const codeFiles = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .map((path) => path.split('\\').join('/'))
  .filter((path) => !IGNORED.test(path) && CODE.test(path));

describe('layer table', () => {
  it('has no stale entries: every files pattern matches a file of the repository', () => {
    const patterns = [...layers, ...overlays].flatMap((l) => l.files);
    const stale = patterns.filter((p) => !codeFiles.some((file) => pathPattern(p).test(file)));
    expect(stale).toEqual([]);
  });

  it('has unique layer names', () => {
    const names = layers.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('tags each package once, and only packages the project depends on', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const declared = new Set([
      ...Object.keys(pkg.dependencies),
      ...Object.keys(pkg.devDependencies),
    ]);
    // ws comes with socket.io (engine.io); bench/ uses it for the bare-ws baseline.
    const transitive = new Set(['ws']);
    const tagged = Object.values(runtimes).flat();
    expect(tagged.filter((name) => !declared.has(name) && !transitive.has(name))).toEqual([]);
    expect(new Set(tagged).size).toBe(tagged.length);
  });

  it('names only known runtimes in its layers', () => {
    const known = new Set(Object.keys(runtimes));
    const used = [...layers, ...overlays].flatMap((l) => [
      ...(l.runtimes ?? []),
      ...(l.types?.runtimes ?? []),
    ]);
    expect(used.filter((r) => !known.has(r))).toEqual([]);
  });
});
