/**
 * What the console needs from its host. In a browser, profiles live in localStorage
 * (browserBridge); the desktop app supplies an implementation backed by its preload API.
 */
import type { Profile } from '../../common/profile.js';
import type { ServerProbe } from '../../common/serverProbe.js';

export type { Profile } from '../../common/profile.js';

export interface DesktopBridge {
  /** Where the console runs, for wording ("browser" profiles are per browser). */
  readonly kind: 'browser' | 'desktop';
  listProfiles(): Promise<Profile[]>;
  /** Creates or replaces (by id) a profile; returns the stored one. */
  saveProfile(profile: Profile): Promise<Profile>;
  deleteProfile(id: string): Promise<void>;
  /** The profile to connect to at start: the last one used, else the first built-in. */
  getActiveProfileId(): Promise<string | undefined>;
  setActiveProfileId(id: string): Promise<void>;
  /** A warning to show next to saved tokens (e.g. stored unencrypted), if any. */
  storageWarning(): Promise<string | undefined>;
  /**
   * Desktop only: probes a server URL outside the browser (DNS, TCP, TLS, /healthz) and says which
   * step failed and why, which fetch() never tells. Rejects when the host cannot probe.
   */
  probeServer?(url: string): Promise<ServerProbe>;
}
