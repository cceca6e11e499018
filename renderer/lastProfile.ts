import type { DesktopBridge, Profile } from './bridge/DesktopBridge.js';
import type { ConnectTarget } from './live/state.js';

/** A profile as a connection target (its first URL; cluster failover comes with the desktop app). */
export function targetOf(profile: Profile): ConnectTarget {
  return {
    id: profile.id,
    name: profile.name,
    url: profile.urls[0] ?? '',
    ...(profile.token ? { token: profile.token } : {}),
  };
}

/** What connectLastProfile needs of the push client. */
export interface Connectable {
  connect(target: ConnectTarget): void;
}

/**
 * Connects to the last used profile (or the first entry, the built-in one) and resolves with it;
 * with nothing to connect to, or when `cancelled()` says so by then, resolves without connecting.
 * The browser bridge answers at once (localStorage), so the console's entry (main.tsx) calls this
 * before React is even loaded: the connection's round trips overlap the rest of the start-up.
 */
export async function connectLastProfile(
  bridge: DesktopBridge,
  client: Connectable,
  cancelled: () => boolean = () => false,
): Promise<Profile | undefined> {
  const [profiles, activeId] = await Promise.all([
    bridge.listProfiles(),
    bridge.getActiveProfileId(),
  ]);
  const profile = profiles.find((p) => p.id === activeId) ?? profiles[0];
  if (cancelled() || !profile) return undefined;
  client.connect(targetOf(profile));
  return profile;
}
