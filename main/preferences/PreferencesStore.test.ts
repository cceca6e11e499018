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

  it('keeps View > Mute Alerts (off by default) beside the notification switches', async () => {
    const file = join(dir, 'preferences.json');
    const prefs = await PreferencesStore.open(file);
    expect(prefs.alertsMuted()).toBe(false);
    await prefs.update({ connectionLost: false });
    await prefs.setAlertsMuted(true);
    const reopened = await PreferencesStore.open(file);
    expect(reopened.alertsMuted()).toBe(true);
    expect(reopened.get().connectionLost).toBe(false);
    writeFileSync(
      file,
      JSON.stringify({ notifications: { connectionLost: false }, alerts: { muted: 'yes' } }),
    );
    const odd = await PreferencesStore.open(file);
    expect(odd.alertsMuted()).toBe(false);
    expect(odd.get().connectionLost).toBe(false);
  });
});
