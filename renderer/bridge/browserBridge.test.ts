// @vitest-environment jsdom
/**
 * Profiles in the browser: localStorage as jsdom implements it, the built-in "This server" entry,
 * the active profile, and a corrupt stored value that is kept aside rather than lost.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from './DesktopBridge.js';
import { browserBridge, THIS_SERVER_ID } from './browserBridge.js';

const ORIGIN = 'http://127.0.0.1:3001';
const PROFILES_KEY = 'opsdeck.profiles.v1';

const staging: Profile = {
  id: 'p-staging',
  name: 'Staging',
  urls: ['https://staging.example.com'],
  token: 's3cret',
};
const prod: Profile = {
  id: 'p-prod',
  name: 'Production',
  urls: ['https://ops-1.example.com', 'https://ops-2.example.com'],
};

beforeEach(() => localStorage.clear());

describe('browserBridge', () => {
  it('lists the built-in entry first, for the origin that served the page', async () => {
    const bridge = browserBridge(localStorage, ORIGIN);
    expect(bridge.kind).toBe('browser');
    expect(await bridge.listProfiles()).toEqual([
      { id: THIS_SERVER_ID, name: 'This server', urls: [ORIGIN], builtin: true },
    ]);
  });

  it('saves, lists, replaces by id and deletes profiles, across bridge instances', async () => {
    const bridge = browserBridge(localStorage, ORIGIN);
    expect(await bridge.saveProfile(staging)).toEqual(staging);
    await bridge.saveProfile(prod);
    expect((await bridge.listProfiles()).map((p) => p.id)).toEqual([
      THIS_SERVER_ID,
      'p-staging',
      'p-prod',
    ]);

    await bridge.saveProfile({ ...staging, name: 'Staging EU' });
    const again = browserBridge(localStorage, ORIGIN);
    const listed = await again.listProfiles();
    expect(listed.map((p) => p.name)).toEqual(['This server', 'Staging EU', 'Production']);
    expect(listed[1]).toEqual({ ...staging, name: 'Staging EU' });
    expect(listed[2]?.urls).toEqual(prod.urls);

    await again.deleteProfile('p-staging');
    expect((await bridge.listProfiles()).map((p) => p.id)).toEqual([THIS_SERVER_ID, 'p-prod']);
  });

  it('remembers the active profile, and falls back to the built-in entry when it is deleted', async () => {
    const bridge = browserBridge(localStorage, ORIGIN);
    expect(await bridge.getActiveProfileId()).toBe(THIS_SERVER_ID);
    await bridge.saveProfile(prod);
    await bridge.setActiveProfileId('p-prod');
    expect(await browserBridge(localStorage, ORIGIN).getActiveProfileId()).toBe('p-prod');
    await bridge.deleteProfile('p-prod');
    expect(await bridge.getActiveProfileId()).toBe(THIS_SERVER_ID);
  });

  it('never changes or removes the built-in entry', async () => {
    const bridge = browserBridge(localStorage, ORIGIN);
    await expect(
      bridge.saveProfile({ id: THIS_SERVER_ID, name: 'Mine', urls: ['http://x'] }),
    ).rejects.toThrow(/built-in/);
    await expect(
      bridge.saveProfile({ id: 'copy', name: 'Copy', urls: [ORIGIN], builtin: true }),
    ).rejects.toThrow(/built-in/);
    await bridge.deleteProfile(THIS_SERVER_ID);
    expect((await bridge.listProfiles())[0]).toMatchObject({ id: THIS_SERVER_ID, builtin: true });
    expect(localStorage.getItem(PROFILES_KEY) ?? '[]').not.toContain(THIS_SERVER_ID);
  });

  it('warns that browser tokens are stored unencrypted', async () => {
    expect(await browserBridge(localStorage, ORIGIN).storageWarning()).toMatch(/unencrypted/);
  });

  it('keeps corrupt stored data aside under a backup key and reports it', async () => {
    localStorage.setItem(PROFILES_KEY, '{"oops": [1, 2');
    const bridge = browserBridge(localStorage, ORIGIN);
    expect(await bridge.listProfiles()).toEqual([
      { id: THIS_SERVER_ID, name: 'This server', urls: [ORIGIN], builtin: true },
    ]);
    const backupKeys = Object.keys(localStorage).filter((k) =>
      k.startsWith(`${PROFILES_KEY}.corrupt-`),
    );
    expect(backupKeys).toHaveLength(1);
    expect(localStorage.getItem(backupKeys[0]!)).toBe('{"oops": [1, 2');
    expect(localStorage.getItem(PROFILES_KEY)).toBeNull();
    const warning = await bridge.storageWarning();
    expect(warning).toContain(backupKeys[0]);
    expect(warning).toMatch(/could not be read/);

    // Saving afterwards works and does not touch the backup.
    await bridge.saveProfile(staging);
    expect((await bridge.listProfiles()).map((p) => p.id)).toEqual([THIS_SERVER_ID, 'p-staging']);
    expect(localStorage.getItem(backupKeys[0]!)).toBe('{"oops": [1, 2');
  });

  it('treats valid JSON that is not a list as corrupt, and skips malformed entries in a list', async () => {
    localStorage.setItem(PROFILES_KEY, '{"id":"x"}');
    const bridge = browserBridge(localStorage, ORIGIN);
    expect(await bridge.listProfiles()).toHaveLength(1);
    expect(await bridge.storageWarning()).toMatch(/could not be read/);

    localStorage.setItem(
      PROFILES_KEY,
      JSON.stringify([staging, { id: 7 }, { id: 'y', name: 'Y', urls: 'http://y' }]),
    );
    const fresh = browserBridge(localStorage, ORIGIN);
    expect((await fresh.listProfiles()).map((p) => p.id)).toEqual([THIS_SERVER_ID, 'p-staging']);
  });
});
