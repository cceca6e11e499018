import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, icnsTypes, icoSizes, pngColourType, pngSize } from './support.js';

// electron-builder.yml checked the way electron-builder itself checks it, then the settings the
// desktop issue depends on: fuses, native modules, targets, icons.

interface AjvError {
  instancePath: string;
  message?: string;
}
interface AjvValidate {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
type AjvClass = new (options: Record<string, unknown>) => {
  compile(schema: object): AjvValidate;
};

interface PlatformConfig {
  target?: (string | { target: string })[];
  icon?: string;
  category?: string;
  [key: string]: unknown;
}
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { buildResources: string; output: string };
  files: string[];
  extraMetadata: { main: string; [key: string]: unknown };
  asar?: boolean;
  asarUnpack: string[];
  npmRebuild?: boolean;
  electronFuses: Record<string, boolean>;
  linux: PlatformConfig & { maintainer?: string; desktop?: { entry?: Record<string, string> } };
  mac: PlatformConfig & { hardenedRuntime?: boolean; entitlements?: string };
  win: PlatformConfig;
  nsis: { oneClick?: boolean; perMachine?: boolean; installerIcon?: string };
}

const CONFIG_FILE = join(ROOT, 'electron-builder.yml');
const rawConfig: unknown = parse(readFileSync(CONFIG_FILE, 'utf8'));
const config = rawConfig as BuilderConfig;

// electron-builder's own copy of ajv and its schema (ajv is not a dependency of this project).
const builderRequire = createRequire(
  createRequire(import.meta.url).resolve('app-builder-lib/package.json'),
);
const schemaFile = join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json');

/** A path in the config, resolved as electron-builder does: build resources first, then the project. */
function resource(path: string): string {
  const inResources = join(ROOT, config.directories.buildResources, path);
  return existsSync(inResources) ? inResources : join(ROOT, path);
}

function targets(platform: PlatformConfig): string[] {
  return (platform.target ?? []).map((t) => (typeof t === 'string' ? t : t.target));
}

describe('electron-builder.yml', () => {
  it('validates against electron-builder 26 JSON schema, with no type coercion', () => {
    const ajvModule = builderRequire('ajv') as AjvClass | { default: AjvClass };
    const Ajv = 'default' in ajvModule ? ajvModule.default : ajvModule;
    // strict: false because the schema uses a custom keyword ("typeof") for function-valued options.
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
    const valid = validate(rawConfig);
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
    expect(problems).toEqual([]);
    expect(valid).toBe(true);
  });

  it("passes electron-builder's own configuration validation", async () => {
    const { validateConfiguration } = builderRequire('./out/util/config/config.js') as {
      validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = builderRequire('builder-util') as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    await expect(
      validateConfiguration(structuredClone(rawConfig), new DebugLogger(false)),
    ).resolves.toBeUndefined();
  });

  it('a misspelt fuse is rejected (the schema check has teeth)', async () => {
    const { validateConfiguration } = builderRequire('./out/util/config/config.js') as {
      validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = builderRequire('builder-util') as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    const broken = structuredClone(config);
    broken.electronFuses = { ...broken.electronFuses, runAsnode: false };
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(
      /electronFuses/,
    );
  });

  it('identifies the app and starts dist/main/main.js', () => {
    expect(config.appId).toBe('dev.opsdeck.console');
    expect(config.productName).toBe('Opsdeck');
    expect(config.extraMetadata.main).toBe('dist/main/main.js');
  });

  it('ships only the compiled app, bin/ and package.json (plus production node_modules)', () => {
    for (const pattern of [
      'dist/main/**/*',
      'dist/console/**/*',
      'dist/server/**/*',
      'dist/common/**/*',
      'bin/**/*',
      'package.json',
    ]) {
      expect(config.files).toContain(pattern);
    }
    // Nothing that would drag sources, tests or the repository in wholesale.
    expect(config.files.filter((f) => !f.startsWith('!'))).not.toContain('**/*');
    expect(config.files).toContain('!**/*.test.js');
    // Installers must not land inside a folder that is packed.
    expect(config.directories.output.startsWith('dist/installers')).toBe(true);
  });

  it('sets the security fuses: no RunAsNode, no NODE_OPTIONS or --inspect, asar-only with integrity', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).not.toBe(false);
  });

  it('unpacks better-sqlite3 from asar and rebuilds native modules for Electron', () => {
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true);
  });

  it('builds AppImage and deb on Linux, dmg on macOS, an assisted per-user nsis on Windows', () => {
    expect(targets(config.linux)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux.category).toBeTruthy();
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^@\s]+>/);
    expect(config.linux.desktop?.entry?.Name).toBe('Opsdeck');

    expect(targets(config.mac)).toContain('dmg');
    expect(config.mac.category).toBe('public.app-category.developer-tools');
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(resource(config.mac.entitlements ?? ''), 'utf8');
    expect(entitlements).toContain('com.apple.security.cs.allow-jit');
    expect(entitlements).not.toContain('disable-library-validation');

    expect(targets(config.win)).toContain('nsis');
    expect(config.nsis.oneClick).toBe(false);
    expect(config.nsis.perMachine).toBe(false);
  });

  it('Linux icon set: a PNG per size, named and sized NxN, with alpha', () => {
    const dir = resource(config.linux.icon ?? '');
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      const file = join(dir, `${size}x${size}.png`);
      expect(pngSize(file), file).toEqual({ width: size, height: size });
      expect(pngColourType(file), `${file} has an alpha channel`).toBe(6);
    }
    expect(pngSize(join(ROOT, 'assets', 'icon.png'))).toEqual({ width: 1024, height: 1024 });
  });

  it('Windows .ico holds 16 to 256 px; macOS .icns holds 16 to 1024 px', () => {
    const ico = icoSizes(resource(config.win.icon ?? ''));
    expect(ico).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
    expect(icoSizes(resource(config.nsis.installerIcon ?? ''))).toContain(256);
    const icns = icnsTypes(resource(config.mac.icon ?? ''));
    // is32/il32: 16/32 px; ih32: 48; it32: 128; ic08/ic09/ic10: 256/512/1024.
    expect(icns).toEqual(
      expect.arrayContaining(['is32', 'il32', 'ih32', 'it32', 'ic08', 'ic09', 'ic10']),
    );
  });

  it('tray icons for every connection state, 16 and 32 px with @2x, packed into the app', () => {
    for (const state of ['connected', 'reconnecting', 'disconnected', 'idle']) {
      for (const [name, size] of [
        [`${state}-16.png`, 16],
        [`${state}-16@2x.png`, 32],
        [`${state}-32.png`, 32],
        [`${state}-32@2x.png`, 64],
      ] as const) {
        const file = join(ROOT, 'assets', 'tray', name);
        expect(pngSize(file), name).toEqual({ width: size, height: size });
      }
    }
    // Build resources are not packed unless listed: the main process loads these at run time.
    expect(config.files).toContain('assets/tray/*.png');
  });

  it("the app icon is drawn from the console's favicon", () => {
    const favicon = readFileSync(join(ROOT, 'renderer', 'public', 'favicon.svg'), 'utf8');
    const chart = /<path d="([^"]+)"/.exec(favicon)?.[1];
    expect(chart).toBeDefined();
    expect(readFileSync(join(ROOT, 'assets', 'src', 'icon-small.svg'), 'utf8')).toContain(
      `d="${chart ?? ''}"`,
    );
  });
});
