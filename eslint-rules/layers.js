// @ts-check
/**
 * `opsdeck/layers`: every file belongs to exactly one layer of the table (eslint-rules/layerTable.js)
 * and may import only what its layer allows. Allow-lists, not deny-lists: a folder nobody listed
 * is an error, and so is a package nobody tagged with a runtime.
 *
 * - Relative specifiers are resolved against the file and matched, as repository paths, against
 *   the layer's `imports` (its own files are always allowed).
 * - Bare specifiers are reduced to their package (`mysql2/promise` -> `mysql2`, `node:fs` -> node)
 *   and the package's runtime must be one of the layer's `runtimes`.
 * - Electron APIs listed in `restrictedElectronApis` are matched by name, whatever subpath of
 *   `electron` they come from and however they are reached (named import, namespace or default
 *   import, `import x = require()`, `require()`, destructuring or member access).
 * - Type-only imports are held to the same lists; a layer's `types` adds what it may import for
 *   types alone (the sandboxed preload, whose `require` cannot load common/ but whose types can).
 * - `overlays` add to the layer of any file they match (test files may reach test/helpers).
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { electronGrants, packageOf, resolveLayer, runtimeTable } from './resolveLayer.js';

/** @typedef {import('./resolveLayer.js').Options} Options */

const ELECTRON = 'electron';

/** @param {string} path */
const toPosix = (path) => path.split(sep).join('/');

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'each folder imports only what its layer allows (eslint-rules/layerTable.js)',
    },
    schema: [{ type: 'object', additionalProperties: true }],
    messages: {
      uncovered:
        'No layer covers {{file}}: add its folder to eslint-rules/layerTable.js deliberately, with what it may import.',
      folder: '{{layer}} may not {{kind}} {{target}} (it may import: {{allowed}}).',
      outside: "'{{source}}' resolves outside the repository ({{target}}).",
      runtime:
        "{{layer}} may not {{kind}} '{{source}}' ({{pkg}}, {{runtime}} runtime); it may use: {{allowed}}.",
      unknownPackage:
        "'{{pkg}}' has no runtime in eslint-rules/layerTable.js: tag it (node, dom, shared, electron or dev) before importing it.",
      electronApi: '{{api}} is only for {{grantees}}; {{layer}} may not touch it.',
    },
  },
  create(context) {
    const options = /** @type {Options} */ (context.options[0]);
    const file = toPosix(relative(options.root, context.filename));
    const layer = resolveLayer(options, file);
    if (!layer) {
      return {
        Program(node) {
          context.report({ node, messageId: 'uncovered', data: { file } });
        },
      };
    }
    const runtimes = runtimeTable(options);
    const grants = electronGrants(options);
    /** Local names bound to the whole electron module (namespace, default, require). */
    const electronObjects = new Set();

    /**
     * @param {import('estree').Node} node
     * @param {string} api
     */
    const checkElectronApi = (node, api) => {
      const grantees = grants.get(api);
      if (grantees && !layer.electronApis.has(api)) {
        const data = { api, grantees: grantees.join(', ') || 'no layer', layer: layer.name };
        context.report({ node, messageId: 'electronApi', data });
      }
    };

    /**
     * @param {import('estree').Node} node where to report
     * @param {string} source the specifier
     * @param {boolean} typeOnly
     */
    const checkSource = (node, source, typeOnly) => {
      const kind = typeOnly ? 'import types from' : 'import';
      if (source.startsWith('.') || source.startsWith('/')) {
        const target = toPosix(relative(options.root, resolve(dirname(context.filename), source)));
        if (target.startsWith('../') || target === '..') {
          context.report({ node, messageId: 'outside', data: { source, target } });
          return;
        }
        const allowed = [...layer.imports, ...(typeOnly ? layer.typeImports : [])];
        if (!allowed.some((p) => p.test(target))) {
          const list = allowed.map((p) => p.source).join(', ');
          context.report({
            node,
            messageId: 'folder',
            data: { layer: layer.name, kind, target, allowed: list },
          });
        }
        return;
      }
      const pkg = packageOf(source);
      const runtime = runtimes.get(pkg);
      if (runtime === undefined) {
        context.report({ node, messageId: 'unknownPackage', data: { pkg } });
        return;
      }
      if (!layer.runtimes.has(runtime) && !(typeOnly && layer.typeRuntimes.has(runtime))) {
        const allowed =
          [...layer.runtimes, ...(typeOnly ? layer.typeRuntimes : [])].join(', ') || 'no package';
        const data = {
          layer: layer.name,
          kind,
          source,
          pkg: pkg === 'node:' ? 'a Node built-in' : pkg,
          runtime,
          allowed,
        };
        context.report({ node, messageId: 'runtime', data });
      }
    };

    /** @param {string} source */
    const isElectron = (source) => packageOf(source) === ELECTRON;

    /**
     * @param {import('estree').Node | null | undefined} node
     * @returns {string | undefined} the string of a literal specifier
     */
    const literal = (node) =>
      node?.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined;

    /** @param {import('estree').Node} node */
    const isElectronRequire = (node) =>
      node.type === 'CallExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === 'require' &&
      isElectron(literal(node.arguments[0]) ?? '');

    /**
     * @param {import('estree').Pattern} pattern
     * @param {import('estree').Node} init
     */
    const checkDestructuring = (pattern, init) => {
      const fromElectron =
        (init.type === 'Identifier' && electronObjects.has(init.name)) || isElectronRequire(init);
      if (pattern.type !== 'ObjectPattern' || !fromElectron) return;
      for (const property of pattern.properties) {
        if (property.type === 'Property' && property.key.type === 'Identifier') {
          checkElectronApi(property, property.key.name);
        }
      }
    };

    return {
      ImportDeclaration(node) {
        const source = String(node.source.value);
        const specifiers = node.specifiers;
        const typeOnly =
          /** @type {{ importKind?: string }} */ (node).importKind === 'type' ||
          (specifiers.length > 0 &&
            specifiers.every(
              (s) => /** @type {{ importKind?: string }} */ (s).importKind === 'type',
            ));
        checkSource(node.source, source, typeOnly);
        if (!isElectron(source)) return;
        for (const s of specifiers) {
          if (s.type === 'ImportSpecifier') {
            checkElectronApi(
              s,
              s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value),
            );
          } else {
            electronObjects.add(s.local.name);
          }
        }
      },
      ExportNamedDeclaration(node) {
        if (!node.source) return;
        const source = String(node.source.value);
        const typeOnly = /** @type {{ exportKind?: string }} */ (node).exportKind === 'type';
        checkSource(node.source, source, typeOnly);
        if (!isElectron(source)) return;
        for (const s of node.specifiers) {
          checkElectronApi(s, s.local.type === 'Identifier' ? s.local.name : String(s.local.value));
        }
      },
      ExportAllDeclaration(node) {
        const typeOnly = /** @type {{ exportKind?: string }} */ (node).exportKind === 'type';
        checkSource(node.source, String(node.source.value), typeOnly);
      },
      ImportExpression(node) {
        const source = literal(node.source);
        if (source !== undefined) checkSource(node.source, source, false);
      },
      CallExpression(node) {
        const source = literal(node.arguments[0]);
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          source !== undefined
        ) {
          checkSource(node, source, false);
        }
      },
      /** @param {any} node TSESTree.TSImportEqualsDeclaration (not in estree's types) */
      TSImportEqualsDeclaration(node) {
        const ref = node.moduleReference;
        const source =
          ref.type === 'TSExternalModuleReference' ? literal(ref.expression) : undefined;
        if (source === undefined) return;
        checkSource(ref, source, node.importKind === 'type');
        if (isElectron(source)) electronObjects.add(node.id.name);
      },
      /** @param {any} node TSESTree.TSImportType: `import('pkg').Name` in a type position */
      TSImportType(node) {
        const source = literal(node.source ?? node.argument?.literal); // `argument`: before v8.3x
        if (source !== undefined) checkSource(node, source, true);
      },
      VariableDeclarator(node) {
        if (!node.init) return;
        if (node.id.type === 'Identifier' && isElectronRequire(node.init))
          electronObjects.add(node.id.name);
        checkDestructuring(node.id, node.init);
      },
      MemberExpression(node) {
        const object = node.object;
        const fromElectron =
          (object.type === 'Identifier' && electronObjects.has(object.name)) ||
          isElectronRequire(object);
        if (fromElectron && !node.computed && node.property.type === 'Identifier') {
          checkElectronApi(node, node.property.name);
        }
      },
    };
  },
};
