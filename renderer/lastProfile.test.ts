/**
 * The start-up connection: the last used profile, else the built-in entry, as a target; in the
 * browser it is asked for before any macrotask runs (so before React has been loaded or rendered).
 */
import { describe, expect, it } from 'vitest';
import { browserBridge, THIS_SERVER_ID } from './bridge/browserBridge.js';
import type { DesktopBridge, Profile } from './bridge/DesktopBridge.js';
import { connectLastProfile, targetOf } from './lastProfile.js';
import type { ConnectTarget } from './live/state.js';

const ORIGIN = 'http://127.0.0.1:3001';

/** localStorage's interface over a Map (this file runs in node). */
function memoryStorage(entries: Record<string, string> = {}): Storage {
  const map = new Map(Object.entries(entries));
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, value),
  };
}

function recorder(): { connect(target: ConnectTarget): void; targets: ConnectTarget[] } {
  const targets: ConnectTarget[] = [];
  return { connect: (t) => targets.push(t), targets };
}

const staging: Profile = {
  id: 'p-staging',
  name: 'Staging',
  urls: ['https://staging.example.com', 'https://staging-2.example.com'],
  token: 's3cret',
};

describe('connectLastProfile', () => {
  it('connects to this server when nothing was chosen, before any macrotask runs', async () => {
    const client = recorder();
    const done = connectLastProfile(browserBridge(memoryStorage(), ORIGIN), client);
    let macrotaskRan = false;
    setTimeout(() => (macrotaskRan = true), 0);
    // Microtasks only: the browser bridge answers from localStorage, with no task in between.
    for (let i = 0; i < 10 && client.targets.length === 0; i++) await Promise.resolve();
    expect(macrotaskRan).toBe(false);
    expect(client.targets).toEqual([{ id: THIS_SERVER_ID, name: 'This server', url: ORIGIN }]);
    expect((await done)?.id).toBe(THIS_SERVER_ID);
  });

  it('connects to the last used profile, with its token and first URL', async () => {
    const storage = memoryStorage({
      'opsdeck.profiles.v1': JSON.stringify([staging]),
      'opsdeck.activeProfile.v1': staging.id,
    });
    const client = recorder();
    await connectLastProfile(browserBridge(storage, ORIGIN), client);
    expect(client.targets).toEqual([
      { id: 'p-staging', name: 'Staging', url: 'https://staging.example.com', token: 's3cret' },
    ]);
  });

  it('falls back to the first entry when the last used one is gone', async () => {
    const storage = memoryStorage({ 'opsdeck.activeProfile.v1': 'p-deleted' });
    const client = recorder();
    await connectLastProfile(browserBridge(storage, ORIGIN), client);
    expect(client.targets.map((t) => t.id)).toEqual([THIS_SERVER_ID]);
  });

  it('does not connect when cancelled meanwhile, or with no profile at all', async () => {
    const client = recorder();
    const cancelled = await connectLastProfile(
      browserBridge(memoryStorage(), ORIGIN),
      client,
      () => true,
    );
    expect(cancelled).toBeUndefined();
    const empty: DesktopBridge = {
      ...browserBridge(memoryStorage(), ORIGIN),
      listProfiles: () => Promise.resolve([]),
    };
    expect(await connectLastProfile(empty, client)).toBeUndefined();
    expect(client.targets).toEqual([]);
  });

  it('maps a profile to a target without a token it does not have', () => {
    expect(targetOf({ id: 'a', name: 'A', urls: [] })).toEqual({ id: 'a', name: 'A', url: '' });
  });
});
