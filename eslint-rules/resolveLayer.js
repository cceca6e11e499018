// @ts-check
/**
 * The layer table's types, and what it says about one file: its layer (the most specific `files`
 * pattern wins) merged with the overlays that match it, and each package's runtime.
 */
import { builtinModules } from 'node:module';
import { pathPattern } from './pathPattern.js';

/**
 * @typedef {object} Allowance
 * @property {string[]} [imports] repository path patterns a file may import
 * @property {string[]} [runtimes] runtimes whose packages a file may import
 */
/**
 * @typedef {Allowance & {
 *   name: string,
 *   files: string[],
 *   electronApis?: string[],
 *   types?: Allowance,
 * }} Layer
 */
/** @typedef {Allowance & { files: string[], types?: Allowance }} Overlay */
/**
 * @typedef {object} Options
 * @property {string} root absolute path of the repository
 * @property {Record<string, string[]>} runtimes runtime -> packages (node: builtins are `node`)
 * @property {string[]} [restrictedElectronApis] Electron exports only layers granting them may use
 * @property {Layer[]} layers
 * @property {Overlay[]} [overlays]
 */
/**
 * @typedef {object} Resolved what one file may import
 * @property {string} name
 * @property {import('./pathPattern.js').PathPattern[]} imports
 * @property {Set<string>} runtimes
 * @property {import('./pathPattern.js').PathPattern[]} typeImports in addition, for types
 * @property {Set<string>} typeRuntimes in addition, for types
 * @property {Set<string>} electronApis
 */

const builtins = new Set(builtinModules);

/** @param {string} specifier */
export function packageOf(specifier) {
  if (specifier.startsWith('node:')) return 'node:';
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
  return builtins.has(name) ? 'node:' : name;
}

/**
 * @param {Options} options
 * @param {string} file repository-relative POSIX path
 * @returns {Resolved | undefined}
 */
export function resolveLayer(options, file) {
  /** @type {{ layer: Layer, specificity: number } | undefined} */
  let best;
  for (const layer of options.layers) {
    for (const pattern of layer.files.map(pathPattern)) {
      if (pattern.test(file) && (!best || pattern.specificity > best.specificity)) {
        best = { layer, specificity: pattern.specificity };
      }
    }
  }
  if (!best) return undefined;
  const { layer } = best;
  const overlays = (options.overlays ?? []).filter((o) =>
    o.files.map(pathPattern).some((p) => p.test(file)),
  );
  const all = [layer, ...overlays];
  return {
    name: layer.name,
    imports: [...layer.files, ...all.flatMap((a) => a.imports ?? [])].map(pathPattern),
    runtimes: new Set(all.flatMap((a) => a.runtimes ?? [])),
    typeImports: all.flatMap((a) => a.types?.imports ?? []).map(pathPattern),
    typeRuntimes: new Set(all.flatMap((a) => a.types?.runtimes ?? [])),
    electronApis: new Set(layer.electronApis ?? []),
  };
}

/** @param {Options} options */
export function runtimeTable(options) {
  /** @type {Map<string, string>} */
  const table = new Map([['node:', 'node']]);
  for (const [runtime, packages] of Object.entries(options.runtimes)) {
    for (const name of packages) table.set(name, runtime);
  }
  return table;
}

/** @param {Options} options */
export function electronGrants(options) {
  /** @type {Map<string, string[]>} */
  const grants = new Map((options.restrictedElectronApis ?? []).map((api) => [api, []]));
  for (const layer of options.layers) {
    for (const api of layer.electronApis ?? []) grants.get(api)?.push(layer.name);
  }
  return grants;
}
