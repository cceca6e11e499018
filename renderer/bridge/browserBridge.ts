import type { DesktopBridge, Profile } from './DesktopBridge.js';

const PROFILES_KEY = 'opsdeck.profiles.v1';
const ACTIVE_KEY = 'opsdeck.activeProfile.v1';
export const THIS_SERVER_ID = 'this-server';

/**
 * Profiles in the browser's localStorage. The built-in entry is the server that served this page.
 * A corrupt stored value is kept aside under a backup key and reported, never silently dropped.
 */
export function browserBridge(storage: Storage, origin: string): DesktopBridge {
  const builtin: Profile = {
    id: THIS_SERVER_ID,
    name: 'This server',
    urls: [origin],
    builtin: true,
  };
  let warning: string | undefined;

  function read(): Profile[] {
    const raw = storage.getItem(PROFILES_KEY);
    if (raw === null) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!Array.isArray(parsed)) throw new Error('not a list');
      return parsed.filter(isProfile);
    } catch {
      const backup = `${PROFILES_KEY}.corrupt-${Date.now()}`;
      storage.setItem(backup, raw);
      storage.removeItem(PROFILES_KEY);
      warning = `Saved profiles could not be read; the old data was kept in localStorage as ${backup}.`;
      return [];
    }
  }

  function write(profiles: Profile[]): void {
    storage.setItem(PROFILES_KEY, JSON.stringify(profiles.filter((p) => !p.builtin)));
  }

  return {
    kind: 'browser',
    listProfiles: () => Promise.resolve([builtin, ...read()]),
    saveProfile(profile) {
      if (profile.builtin || profile.id === THIS_SERVER_ID)
        return Promise.reject(new Error('built-in entries cannot be changed'));
      const profiles = read();
      const index = profiles.findIndex((p) => p.id === profile.id);
      if (index >= 0) profiles[index] = profile;
      else profiles.push(profile);
      write(profiles);
      return Promise.resolve(profile);
    },
    deleteProfile(id) {
      write(read().filter((p) => p.id !== id));
      if (storage.getItem(ACTIVE_KEY) === id) storage.removeItem(ACTIVE_KEY);
      return Promise.resolve();
    },
    getActiveProfileId: () => Promise.resolve(storage.getItem(ACTIVE_KEY) ?? THIS_SERVER_ID),
    setActiveProfileId(id) {
      storage.setItem(ACTIVE_KEY, id);
      return Promise.resolve();
    },
    storageWarning: () =>
      Promise.resolve(
        warning ??
          'In the browser, tokens are stored unencrypted in this browser profile (localStorage).',
      ),
  };
}

function isProfile(value: unknown): value is Profile {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    typeof p.id === 'string' &&
    typeof p.name === 'string' &&
    Array.isArray(p.urls) &&
    p.urls.every((u) => typeof u === 'string') &&
    (p.token === undefined || typeof p.token === 'string')
  );
}
