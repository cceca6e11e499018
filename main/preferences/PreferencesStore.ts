import { z } from 'zod';
import type { NotificationPrefs, NotificationPrefsPatch } from '../../common/ipc.js';
import { readJsonFile, writeJsonAtomic } from '../storage/jsonFile.js';

export const DEFAULT_NOTIFICATION_PREFS: NotificationPrefs = {
  connectionLost: true,
  sectionUnhealthy: true,
};

const fileSchema = z.object({
  notifications: z
    .object({ connectionLost: z.boolean(), sectionUnhealthy: z.boolean() })
    .partial()
    .default({}),
  // A malformed mute switch falls back to off without losing the notification switches.
  alerts: z.object({ muted: z.boolean() }).partial().default({}).catch({}),
});

/**
 * preferences.json in the user-data folder: the notification switches (on by default) and View >
 * Mute Alerts (off by default).
 */
export class PreferencesStore {
  private constructor(
    private readonly file: string,
    private prefs: NotificationPrefs,
    private muted: boolean,
  ) {}

  static async open(file: string): Promise<PreferencesStore> {
    const read = await readJsonFile(file);
    const parsed = read.kind === 'ok' ? fileSchema.safeParse(read.value) : undefined;
    const stored = parsed?.success ? parsed.data.notifications : {};
    const muted = parsed?.success ? parsed.data.alerts.muted === true : false;
    return new PreferencesStore(file, applyPatch(DEFAULT_NOTIFICATION_PREFS, stored), muted);
  }

  alertsMuted(): boolean {
    return this.muted;
  }

  async setAlertsMuted(muted: boolean): Promise<void> {
    this.muted = muted;
    await this.save();
  }

  get(): NotificationPrefs {
    return { ...this.prefs };
  }

  async update(patch: NotificationPrefsPatch): Promise<NotificationPrefs> {
    this.prefs = applyPatch(this.prefs, patch);
    await this.save();
    return this.get();
  }

  private save(): Promise<void> {
    return writeJsonAtomic(this.file, {
      notifications: this.prefs,
      alerts: { muted: this.muted },
    });
  }
}

/** The preferences with the keys the patch sets (absent or undefined keys keep their value). */
function applyPatch(prefs: NotificationPrefs, patch: NotificationPrefsPatch): NotificationPrefs {
  return {
    connectionLost: patch.connectionLost ?? prefs.connectionLost,
    sectionUnhealthy: patch.sectionUnhealthy ?? prefs.sectionUnhealthy,
  };
}
