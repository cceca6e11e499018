import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATION_PREFS, PreferencesStore } from './PreferencesStore.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'opsdeck-prefs-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('PreferencesStore', () => {
  it('defaults to on, persists changes, ignores a corrupt file', async () => {
    const file = join(dir, 'preferences.json');
    const prefs = await PreferencesStore.open(file);
    expect(prefs.get()).toEqual(DEFAULT_NOTIFICATION_PREFS);
    await prefs.update({ sectionUnhealthy: false });
    expect((await PreferencesStore.open(file)).get()).toEqual({
      connectionLost: true,
      sectionUnhealthy: false,
    });
    writeFileSync(file, '{oops');
    expect((await PreferencesStore.open(file)).get()).toEqual(DEFAULT_NOTIFICATION_PREFS);
  });
});
