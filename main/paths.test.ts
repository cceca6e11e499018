/** Code paths come from the compiled file's location, data paths from the user-data folder. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake } from '../test/helpers/fakeElectron.js';
import { appPaths, appRoot } from './paths.js';

vi.mock('electron', () => import('../test/helpers/fakeElectron.js'));

beforeEach(() => fake.reset());

describe('paths', () => {
  it('finds the root from dist/main (development, app.asar) and from main/ (tests)', () => {
    const root = resolve('/opt/Opsdeck/resources/app.asar');
    expect(appRoot(join(root, 'dist', 'main'))).toBe(root);
    expect(appRoot(resolve('/src/opsdeck/main'))).toBe(resolve('/src/opsdeck'));
    expect(existsSync(join(appRoot(), 'bin', 'opsdeck.js'))).toBe(true);
  });

  it('puts data in the user-data folder and creates logs/', () => {
    const paths = appPaths('/app');
    expect(paths.profilesFile).toBe(join(fake.state.userData, 'profiles.json'));
    expect(paths.demoDb).toBe(join(fake.state.userData, 'demo.db'));
    expect(paths.logFile).toBe(join(fake.state.userData, 'logs', 'opsdeck.log'));
    expect(existsSync(paths.logsDir)).toBe(true);
    expect(paths.preload).toBe(join('/app', 'dist', 'main', 'preload.cjs'));
    expect(paths.consoleDir).toBe(join('/app', 'dist', 'console'));
    expect(paths.serverEntry).toBe(join('/app', 'bin', 'opsdeck.js'));
  });
});
